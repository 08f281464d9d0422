// Starts @vercel/cosmosdb-server (pinned in package.json) on 127.0.0.1 for the Cosmos tests, with what the .NET SDK
// needs from it that version 1.0.1 lacks. Each module under cosmos/ replaces one piece of the server before its router
// captures the handlers, and says why:
//   cosmos/url-safe-rids.js       resource ids never contain "/" (else some URLs by rid answered 404: "Stale cache");
//   cosmos/read-document-404.js   a point read of a missing document answers 404 (not 500);
//   cosmos/hierarchical-keys.js   documents are unique per (id, full hierarchical partition key);
//   cosmos/queries.js             the SDK's query-plan request, and queries scoped to a full or prefix partition key;
//   cosmos/conditional-patch.js   a patch's filter predicate is evaluated against the patched document only;
//   cosmos/transactional-batch.js the .NET SDK's TransactionalBatch (a HybridRow body, cosmos/hybrid-row.js), atomic.
// COSMOS_SERVER_TRACE=1 prints each request's method, path and query headers (for investigating the SDK's requests).
"use strict";

require("./cosmos/url-safe-rids");
require("./cosmos/read-document-404");
require("./cosmos/hierarchical-keys");
require("./cosmos/queries");
require("./cosmos/conditional-patch");
require("./cosmos/transactional-batch");

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = Number(process.argv[2] || 8081);
const server = createHttpsServer();
if (process.env.COSMOS_SERVER_TRACE === "1") {
  const traced = /^x-ms-(documentdb-partitionkey|start-epk|end-epk|documentdb-query-enablecrosspartition|cosmos-is-query-plan-request|continuation|max-item-count|documentdb-partitionkeyrangeid|read-key-type|cosmos-is-batch-request|cosmos-batch-atomic)$/;
  server.prependListener("request", (req, res) => {
    const headers = Object.entries(req.headers).filter(([name]) => traced.test(name)).map(([n, v]) => `${n}=${v}`);
    res.on("finish", () => {
      console.log(`${req.method} ${req.url} ${headers.join(" ")} -> ${res.statusCode} items=${res.getHeader("x-ms-item-count") ?? "-"} continuation=${res.getHeader("x-ms-continuation") ?? "-"}`);
    });
  });
}
server.listen(port, "127.0.0.1", () => {
  console.log(`cosmosdb-server listening on https://127.0.0.1:${port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
