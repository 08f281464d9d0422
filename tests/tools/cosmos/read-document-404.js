// A point read of a missing document answers 404, as Cosmos DB does.
//
// Version 1.0.1 answers 500 (its read handler dereferences the missing document); our adapter relies on 404. The
// handler is wrapped before the server's router captures it.
"use strict";

const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
const partitionHeader = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");

const original = readDocument.default;
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  if (collection.read()) {
    const header = req.headers["x-ms-documentdb-partitionkey"];
    const partition = header
      ? partitionHeader.parsePartitionKey(Array.isArray(header) ? header[0] : header, params.docId)
      : params.docId;
    if (!collection.document(params.docId, partition).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
  }
  return original(account, req, res, params);
};
