// TransactionalBatch as the .NET SDK sends it, executed atomically.
//
// Request (TransactionalBatch.ExecuteAsync, BatchExecutor/ServerBatchRequest in the SDK): a POST to .../colls/{coll}/docs
// with x-ms-cosmos-is-batch-request, x-ms-cosmos-batch-atomic and x-ms-cosmos-batch-ordered-response set to True, the
// batch's partition key in x-ms-documentdb-partitionkey (a JSON array: ["t","u"] for a hierarchical key), and a body
// that is NOT JSON: a HybridRow RecordIO stream with one row per operation (hybrid-row.js): operationType (Create 0,
// Patch 1, Read 2, Delete 4, Replace 5, Upsert 20: Microsoft.Azure.Documents.OperationType), resourceType (2,
// Document), id (Read/Delete/Replace/Patch), resourceBody (the item's JSON; for Patch the PatchSpec
// {"condition": ..., "operations": [...]}), ifMatch / ifNoneMatch, minimalReturnPreference (the client's
// EnableContentResponseOnWrite = false).
//
// Response (TransactionalBatchResponse.FromResponseMessageAsync): a HybridRow RecordIO stream of one BatchResult row per
// operation, in order (statusCode, subStatusCode, eTag, resourceBody, requestCharge). Status 200 when every operation
// succeeded; otherwise 207 Multi-Status, the failing operation with its own status and every other one 424 Failed
// Dependency, and the SDK reports the failing operation's status as the batch's StatusCode.
//
// Version 1.0.1 of the server has a batch handler for the JavaScript SDK's JSON batches only (it fails on this body
// with 500), and that one is not atomic: operations before a failing one stay applied. Here the operations run one by
// one through the server's own document operations (so ids, ETags, _ts and the per-full-key identity of
// hierarchical-keys.js are those of single requests) after a snapshot of the container's maps; the first failing
// operation stops the batch and the snapshot is put back, so a failed batch changes nothing. The batch runs without
// yielding the event loop, so no other request sees it half done or interleaves with it. JSON bodies still go to the
// server's own handler.
"use strict";

const { Readable } = require("stream");
const batchDocuments = require("@vercel/cosmosdb-server/lib/handler/batch-documents");
const documentOperations = require("@vercel/cosmosdb-server/lib/handler/_document-operations");
const patchOperations = require("@vercel/cosmosdb-server/lib/handler/_patch-operations");
const trueHeader = require("@vercel/cosmosdb-server/lib/true-header").default;
const { partitionKeyValues } = require("./hierarchical-keys");
const { HybridRowError, isHybridRow, readBatchOperations, writeBatchResults } = require("./hybrid-row");

const OPERATION = { 0: "Create", 1: "Patch", 2: "Read", 4: "Delete", 5: "Replace", 20: "Upsert" };
const RESOURCE_TYPE_DOCUMENT = 2;
const MAX_OPERATIONS = 100; // Cosmos DB's limit per transactional batch
const MAX_BODY_BYTES = 2 * 1024 * 1024; // Cosmos DB's request size limit
const WRITES = new Set(["Create", "Upsert", "Replace", "Patch", "Delete"]);

class BadRequest extends Error {}

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", chunk => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES + 1) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Answers with a binary body: the server's wrapper sets JSON headers and writes JSON after the handler returns. */
function sendBinary(res, statusCode, body, requestCharge) {
  res.statusCode = statusCode;
  const setHeader = res.setHeader;
  res.setHeader = function setBinaryHeader(name, value) {
    const lower = String(name).toLowerCase();
    if (lower === "content-type") return setHeader.call(this, name, "application/octet-stream");
    if (lower === "x-ms-request-charge") return setHeader.call(this, name, String(requestCharge));
    return setHeader.call(this, name, value);
  };
  const end = res.end;
  res.end = function endBinary() {
    return end.call(this, body);
  };
  return {};
}

function jsonError(res, statusCode, code, message) {
  res.statusCode = statusCode;
  return { code, message };
}

function parseJson(bytes, what) {
  if (!bytes) throw new BadRequest(`${what} is missing`);
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new BadRequest(`${what} is not JSON`);
  }
}

/**
 * Runs one operation through the server's document operations; returns { statusCode, subStatusCode, body }.
 * `keyHeader` is the batch's x-ms-documentdb-partitionkey, `key` its parsed values, `paths` the container's paths.
 */
function runOperation(collection, operation, keyHeader, key, paths) {
  const type = OPERATION[operation.operationType];
  const withKey = fields => ({ ...fields, partitionKey: keyHeader });
  const checkDocument = document => {
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
      throw new BadRequest("the resource body is not a JSON object");
    }
    if (typeof document.id !== "string" || document.id === "") {
      throw new BadRequest("The input content is invalid because the required properties - 'id; ' - are missing");
    }
    const own = partitionKeyValues(paths, document).map(v => (v === undefined ? {} : v));
    if (JSON.stringify(own) !== JSON.stringify(key)) {
      const err = new BadRequest("PartitionKey extracted from document doesn't match the one specified in the header");
      err.subStatusCode = 1001;
      throw err;
    }
    return document;
  };
  switch (type) {
    case "Create":
      return documentOperations.createOperation(collection, { resourceBody: checkDocument(parseJson(operation.resourceBody, "the item")) });
    case "Upsert":
      return documentOperations.upsertOperation(collection, withKey({
        resourceBody: checkDocument(parseJson(operation.resourceBody, "the item")),
        ifMatch: operation.ifMatch,
      }));
    case "Replace": {
      const document = checkDocument(parseJson(operation.resourceBody, "the item"));
      if (operation.id !== document.id) throw new BadRequest(`replace of '${operation.id}' with a document whose id is '${document.id}'`);
      return documentOperations.replaceOperation(collection, withKey({ resourceBody: document, ifMatch: operation.ifMatch }));
    }
    case "Read": {
      const result = documentOperations.readOperation(collection, withKey({ id: operation.id }));
      if (result.statusCode === 200 && operation.ifMatch && operation.ifMatch !== result.body._etag) {
        return { statusCode: 412, body: {} };
      }
      return result;
    }
    case "Delete":
      return documentOperations.deleteOperation(collection, withKey({ id: operation.id, ifMatch: operation.ifMatch }));
    case "Patch": {
      const spec = parseJson(operation.resourceBody, "the patch specification");
      if (!spec || !Array.isArray(spec.operations) || spec.operations.length === 0) {
        throw new BadRequest("Invalid patch request: check syntax of patch specification.");
      }
      // conditional-patch.js evaluates spec.condition against this document.
      return patchOperations.patchOperation(collection, withKey({
        id: operation.id,
        ifMatch: operation.ifMatch,
        operations: spec.operations,
        condition: spec.condition,
      }));
    }
    default:
      throw new BadRequest(`operation type ${operation.operationType} is not supported in a batch`);
  }
}

/** Rejects what the SDK sends only in modes this server does not run (bulk, EPK routing, TTL, If-None-Match). */
function checkOperation(operation, index, keyHeader) {
  if (!(operation.operationType in OPERATION)) throw new BadRequest(`operation ${index}: unknown operation type ${operation.operationType}`);
  if (operation.resourceType !== RESOURCE_TYPE_DOCUMENT) throw new BadRequest(`operation ${index}: resource type ${operation.resourceType} is not a document`);
  const type = OPERATION[operation.operationType];
  if (type !== "Create" && type !== "Upsert" && typeof operation.id !== "string") throw new BadRequest(`operation ${index}: ${type} without an id`);
  if (operation.partitionKey !== undefined && operation.partitionKey !== keyHeader) {
    throw new BadRequest(`operation ${index}: its partition key ${operation.partitionKey} is not the batch's ${keyHeader}`);
  }
  for (const unsupported of ["effectivePartitionKey", "binaryId", "timeToLiveInSeconds", "ifNoneMatch"]) {
    if (operation[unsupported] !== undefined) throw new BadRequest(`operation ${index}: this test server does not support ${unsupported} in a batch`);
  }
}

async function handleBatch(account, req, res, { dbId, collId }, body) {
  const collection = account.database(dbId).collection(collId);
  const properties = collection.read();
  if (!properties) {
    return jsonError(res, 404, "NotFound", "Entity with the specified id does not exist in the system.");
  }
  if (!trueHeader(req, "x-ms-cosmos-batch-atomic")) {
    return jsonError(res, 400, "BadRequest", "this test server runs atomic (transactional) batches only, not bulk batches");
  }
  if (body.length > MAX_BODY_BYTES) {
    return jsonError(res, 413, "RequestEntityTooLarge", "Request size is too large");
  }
  const paths = (properties.partitionKey && properties.partitionKey.paths) || [];
  const keyHeader = header(req, "x-ms-documentdb-partitionkey");
  let key;
  let operations;
  try {
    try {
      key = JSON.parse(keyHeader);
    } catch {
      throw new BadRequest(`a transactional batch needs its partition key in x-ms-documentdb-partitionkey, got: ${keyHeader}`);
    }
    if (!Array.isArray(key) || key.length !== paths.length) {
      throw new BadRequest(`a transactional batch targets one logical partition: a full key for ${JSON.stringify(paths)}, got ${keyHeader}`);
    }
    try {
      operations = readBatchOperations(body);
    } catch (err) {
      if (!(err instanceof HybridRowError)) throw err;
      throw new BadRequest(`the batch body is not a valid HybridRow stream: ${err.message}`);
    }
    if (operations.length === 0 || operations.length > MAX_OPERATIONS) {
      throw new BadRequest(`a transactional batch holds 1 to ${MAX_OPERATIONS} operations, got ${operations.length}`);
    }
    operations.forEach((operation, index) => checkOperation(operation, index, keyHeader));
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    return jsonError(res, 400, "BadRequest", err.message);
  }

  // From here to the answer nothing awaits: the batch is one step of the event loop.
  const documents = collection.documents;
  const snapshot = { data: new Map(documents._data), index: new Map(documents._index), ridCount: documents._ridCount };
  // Items are immutable objects replaced on write (Items._set), so copies of the two maps are a full snapshot.
  const rollback = () => {
    documents._data = snapshot.data;
    documents._index = snapshot.index;
    documents._ridCount = snapshot.ridCount;
  };
  const results = [];
  let failed = -1;
  try {
    for (let i = 0; i < operations.length && failed < 0; i += 1) {
      const operation = operations[i];
      let outcome;
      try {
        outcome = runOperation(collection, operation, keyHeader, key, paths);
      } catch (err) {
        if (!(err instanceof BadRequest)) throw err;
        outcome = { statusCode: 400, subStatusCode: err.subStatusCode, body: { code: "BadRequest", message: err.message } };
      }
      if (outcome.statusCode >= 400) {
        failed = i;
        results.push({ statusCode: outcome.statusCode, subStatusCode: outcome.subStatusCode || 0, requestCharge: 1 });
        break;
      }
      const type = OPERATION[operation.operationType];
      const document = outcome.body && outcome.body._etag ? outcome.body : undefined;
      const minimal = operation.minimalReturnPreference === true && WRITES.has(type);
      results.push({
        statusCode: outcome.statusCode,
        subStatusCode: 0,
        eTag: document ? document._etag : undefined,
        resourceBody: document && !minimal ? Buffer.from(JSON.stringify(document), "utf8") : undefined,
        requestCharge: 1,
      });
    }
  } catch (err) {
    rollback();
    throw err; // the server answers 500
  }
  if (failed >= 0) {
    rollback();
    const answer = operations.map((_, i) => (i === failed ? results[failed] : { statusCode: 424, subStatusCode: 0, requestCharge: 0 }));
    trace(collId, keyHeader, operations, answer);
    return sendBinary(res, 207, writeBatchResults(answer), 1);
  }
  trace(collId, keyHeader, operations, results);
  return sendBinary(res, 200, writeBatchResults(results), results.length);
}

function trace(collId, keyHeader, operations, results) {
  if (process.env.COSMOS_SERVER_TRACE !== "1") return;
  const ops = operations.map((op, i) => `${OPERATION[op.operationType]}(${op.id ?? ""}${op.ifMatch ? ` ifMatch=${op.ifMatch}` : ""})->${results[i].statusCode}`);
  console.log(`batch ${collId} ${keyHeader}: ${ops.join(" ")}`);
}

const original = batchDocuments.default;
batchDocuments.default = async (account, req, res, params) => {
  const body = await readBody(req);
  if (!isHybridRow(body)) {
    // The JavaScript SDK's JSON batch: the server's own handler, which reads the body again.
    const replay = Readable.from([body]);
    replay.headers = req.headers;
    return original(account, replay, res, params);
  }
  return handleBatch(account, req, res, params, body);
};
