// A conditional patch (PatchItemRequestOptions.FilterPredicate, e.g. "from c where c.usedCount < c.maxCount") is
// evaluated against the one document being patched, as Cosmos DB does.
//
// Version 1.0.1 evaluates the condition as a query over the WHOLE container for documents with the patched id, after
// lower-casing the whole condition. So on a container keyed [/tenantId, /userId] a document with the same id under
// another user decides whether this user's document is patched, and a camelCase property in the condition
// (c.usedCount becomes c.usedcount, which no document has) makes every conditional patch fail with 412. Here the
// condition, unchanged, is run by the server's query engine over the patched document alone; the rest of the patch
// (404, If-Match, the patch operations, the write) is the server's own code. Both single PATCH requests and patch
// operations in a transactional batch (transactional-batch.js) go through this.
"use strict";

const patchOperations = require("@vercel/cosmosdb-server/lib/handler/_patch-operations");
const partitionHeader = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");
const createQuery = require("@zeit/cosmosdb-query").default;

/** Whether a filter predicate ("FROM <alias> WHERE ...") holds for one document; throws if it is not one. */
function conditionHolds(condition, document) {
  if (typeof condition !== "string" || !/^\s*from\s/i.test(condition)) {
    throw new Error(`a patch condition is a FROM ... WHERE clause, got: ${condition}`);
  }
  const { result } = createQuery(`SELECT VALUE 1 ${condition}`).exec([document], {});
  return result.length > 0;
}

const original = patchOperations.patchOperation;
patchOperations.patchOperation = (collection, input) => {
  if (!input.condition) {
    return original(collection, input);
  }
  const unconditional = { ...input, condition: undefined };
  const partition = partitionHeader.parsePartitionKey(input.partitionKey, input.id);
  const document = collection.document(input.id, partition).read();
  if (!document || (input.ifMatch && input.ifMatch !== document._etag)) {
    return original(collection, unconditional); // 404 or 412, as the server answers them
  }
  let holds;
  try {
    holds = conditionHolds(input.condition, document);
  } catch (err) {
    return { statusCode: 400, body: { code: "BadRequest", message: `Invalid condition in patch request: ${err.message}` } };
  }
  if (!holds) {
    return {
      statusCode: 412,
      body: { code: "PreconditionFailed", message: "Condition specified in the patch request is not satisfied." },
    };
  }
  return original(collection, unconditional);
};

module.exports = { conditionHolds };
