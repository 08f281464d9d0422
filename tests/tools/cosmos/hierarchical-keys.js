// Documents are unique per (id, full partition key), as in Cosmos DB.
//
// Version 1.0.1 identifies a document by its id and the value of the FIRST partition key path only, both when it
// stores a document and when it parses the x-ms-documentdb-partitionkey header of a point operation. On a container
// keyed [/tenantId, /userId] two users of one tenant could then not both hold a document with the same id (our
// referral and usage-archive documents have fixed ids per user): the second create answered 409. Here the identity of
// a document on a container with several partition key paths is the JSON array of all its path values, on both sides;
// single-path containers keep the server's own behaviour.
"use strict";

const partitionHeader = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");
const Documents = require("@vercel/cosmosdb-server/lib/account/documents").default;
const getValue = require("@vercel/cosmosdb-server/lib/utils/get-value").default;

/** The values of a document's partition key paths, in order (undefined where the document lacks one). */
function partitionKeyValues(paths, document) {
  return paths.map(path => getValue(path.slice(1).split("/"), document));
}

const originalParse = partitionHeader.parsePartitionKey;
partitionHeader.parsePartitionKey = (header, defaultValue) => {
  let parsed;
  try {
    parsed = JSON.parse(header);
  } catch {
    return originalParse(header, defaultValue); // throws the server's own error
  }
  if (Array.isArray(parsed) && parsed.length > 1) {
    return JSON.stringify(parsed);
  }
  return originalParse(header, defaultValue);
};

const originalGetPartition = Documents.prototype._getPartition;
Documents.prototype._getPartition = function getPartition(data) {
  const paths = this._partitionKeyPath;
  if (paths.length > 1) {
    return JSON.stringify(partitionKeyValues(paths, data));
  }
  return originalGetPartition.call(this, data);
};

module.exports = { partitionKeyValues };
