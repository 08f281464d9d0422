// Starts @vercel/cosmosdb-server on 127.0.0.1 for the Cosmos contract tests.
//
// Version 1.0.1 answers a point read of a missing document with 500 (its read handler dereferences the missing
// document). Real Cosmos DB answers 404, and our adapter relies on that, so the handler is wrapped here before the
// server's router captures it. Nothing else about the server is changed.
"use strict";

const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
const { parsePartitionKey } = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");

const original = readDocument.default;
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  if (collection.read()) {
    const header = req.headers["x-ms-documentdb-partitionkey"];
    const partition = header ? parsePartitionKey(Array.isArray(header) ? header[0] : header, params.docId) : params.docId;
    if (!collection.document(params.docId, partition).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
  }
  return original(account, req, res, params);
};

const { createHttpsServer } = require("@vercel/cosmosdb-server");
const port = Number(process.argv[2] || 8081);
const server = createHttpsServer().listen(port, "127.0.0.1", () => {
  console.log(`cosmosdb-server listening on https://127.0.0.1:${port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
