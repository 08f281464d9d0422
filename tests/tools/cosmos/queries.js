// Queries as the .NET SDK (Gateway mode) sends them: the query plan request, and queries scoped to a partition key.
//
// Query plan. On Linux the SDK cannot compute a query plan itself (no ServiceInterop), so it asks for one (a POST to
// .../docs with x-ms-cosmos-is-query-plan-request: True, answered with a PartitionedQueryExecutionInfo) for every
// query except one sent with a partition key to a single-path container and free of ORDER BY, aggregates, DISTINCT
// and GROUP BY: so for every query on our hierarchical containers. (Optimistic direct execution, which could skip
// the plan, is off by default in SDK 3.64.) Version 1.0.1 of the server does not know that header and runs the query
// instead; the SDK then fails with a NullReferenceException.
//
// This server has exactly one partition key range (pkranges answers ["", "FF")), and its query engine
// (@zeit/cosmosdb-query) evaluates the whole query itself: filter, ORDER BY, TOP, aggregates, with its own
// continuation tokens. So the plan answered here declares no client-side stage (no orderBy, top, offset, limit,
// aggregates, distinct, group by) over the full range. With that plan the SDK sends the original query, unchanged,
// to the one range, page by page with the server's continuation tokens, and returns the pages as they come: the
// server's result is the query's result. What is NOT exercised is the SDK's client-side merge of several ranges
// (the rewritten ORDER BY query with orderByItems/payload, client-side TOP, aggregates across ranges); with one
// range it would only reproduce the same rows. A query the engine cannot parse is refused at plan time with 400,
// as the gateway does for a syntax error.
//
// Partition scope. Version 1.0.1 ignores the partition key of a query and runs it over the whole container (and
// refuses it unless the SQL itself names every partition key path). Cosmos DB runs a query within the partition key
// it is sent with, and the SDK sends that as:
//   - x-ms-documentdb-partitionkey: a JSON array with the full key (e.g. ["tenant", "user"]);
//   - x-ms-start-epk / x-ms-end-epk: an effective partition key range, for a prefix of a hierarchical key (e.g. only
//     the tenant of [/tenantId, /userId], from PartitionKeyBuilder with one part): the range of every key starting
//     with that prefix. Documents are matched by their own effective partition key (effective-partition-key.js).
// Without either the query runs over the whole container, if the client allows a cross-partition query
// (x-ms-documentdb-query-enablecrosspartition) or the SQL names every partition key path (the server's own rule).
"use strict";

const queryDocuments = require("@vercel/cosmosdb-server/lib/handler/query-documents");
const readItems = require("@vercel/cosmosdb-server/lib/handler/_read-items").default;
const readJson = require("@vercel/cosmosdb-server/lib/json").default;
const trueHeader = require("@vercel/cosmosdb-server/lib/true-header").default;
const createQuery = require("@zeit/cosmosdb-query").default;
const { SyntaxError: QuerySyntaxError } = require("@zeit/cosmosdb-query");
const { partitionKeyValues } = require("./hierarchical-keys");
const { effectivePartitionKey } = require("./effective-partition-key");

class BadRequest extends Error {}

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether a continuation header is one this server issued: {"token": "+RID:...", "range": {...}}. */
function isContinuation(text) {
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && typeof parsed.token === "string" && parsed.token.startsWith("+RID:");
  } catch {
    return false;
  }
}

/** The plan of a query this server evaluates whole: no client-side stage, one full range. */
function queryPlan() {
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: "None",
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: "",
      hasSelectValue: false,
      dCountInfo: null,
      hasNonStreamingOrderBy: false,
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }],
  };
}

/**
 * Which documents a query may see, from the partition key headers it came with: a predicate, or null for the whole
 * container.
 */
function partitionScope(req, definition) {
  const paths = (definition && definition.paths) || [];
  const key = header(req, "x-ms-documentdb-partitionkey");
  if (key !== undefined) {
    let values;
    try {
      values = JSON.parse(key);
    } catch {
      throw new BadRequest(`x-ms-documentdb-partitionkey is not JSON: ${key}`);
    }
    if (!Array.isArray(values) || values.length === 0 || values.length > paths.length) {
      throw new BadRequest(`x-ms-documentdb-partitionkey ${key} does not fit the partition key paths ${JSON.stringify(paths)}`);
    }
    if (values.some(v => v !== null && typeof v === "object")) {
      throw new BadRequest(`this test server does not scope queries by an undefined partition key (${key})`);
    }
    const scoped = paths.slice(0, values.length);
    return document => partitionKeyValues(scoped, document).every((v, i) => v === values[i]);
  }
  const start = header(req, "x-ms-start-epk");
  const end = header(req, "x-ms-end-epk");
  if (start !== undefined || end !== undefined) {
    const version = definition && definition.version;
    if (definition && definition.kind === "Hash" && version !== 2) {
      throw new BadRequest("this test server computes effective partition keys of hash version 2 only");
    }
    const from = start || "";
    const to = end || "FF";
    return document => {
      const epk = effectivePartitionKey(partitionKeyValues(paths, document));
      return epk >= from && epk < to;
    };
  }
  return null;
}

async function runQuery(account, req, res, { dbId, collId }, body, { continuation, maxItemCount }) {
  if (!body.query) {
    res.statusCode = 400;
    return { code: "BadRequest", message: "missing query" };
  }
  const collection = account.database(dbId).collection(collId);
  const properties = collection.read();
  if (!properties) {
    return null; // 404
  }
  const query = createQuery(body.query); // a syntax error becomes 400 in readItems
  let scope;
  try {
    scope = partitionScope(req, properties.partitionKey);
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    res.statusCode = 400;
    return { code: "BadRequest", message: err.message };
  }
  if (!scope && !trueHeader(req, "x-ms-documentdb-query-enablecrosspartition")) {
    const paths = (properties.partitionKey || {}).paths || [];
    if (paths.length && !query.containsPartitionKeys(paths)) {
      res.statusCode = 400;
      return { code: "BadRequest", message: "Cross partition query is required but disabled." };
    }
  }
  const documents = collection.documents;
  let data = [...documents._data.values()].map(item => item.read());
  if (scope) {
    data = data.filter(scope);
  }
  const compositeIndexes = (properties.indexingPolicy && properties.indexingPolicy.compositeIndexes) || [];
  try {
    return query.exec(data, {
      parameters: body.parameters,
      udf: documents._userDefinedFunctions(),
      maxItemCount,
      continuation,
      compositeIndexes,
    });
  } catch (err) {
    res.statusCode = 400;
    return { code: "BadRequest", message: err.message };
  }
}

queryDocuments.default = async (account, req, res, params) => {
  const body = await readJson(req);
  if (process.env.COSMOS_SERVER_TRACE === "1") {
    console.log(`query ${params.collId}: ${body.query}`);
  }
  if (trueHeader(req, "x-ms-cosmos-is-query-plan-request")) {
    try {
      createQuery(String(body.query || ""));
    } catch (err) {
      if (!(err instanceof QuerySyntaxError)) throw err;
      res.statusCode = 400;
      return { code: "BadRequest", message: `Syntax error (this test server's query engine): ${err.message}` };
    }
    if (!account.database(params.dbId).collection(params.collId).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
    return queryPlan();
  }
  // The server ignores a continuation it cannot parse and starts over; Cosmos DB refuses it, and our adapter relies on
  // that to refuse forged tokens.
  const continuation = header(req, "x-ms-continuation");
  if (continuation !== undefined && !isContinuation(continuation)) {
    res.statusCode = 400;
    return { code: "BadRequest", message: `Invalid continuation token: ${continuation}` };
  }
  return readItems(req, res, "Documents", options => runQuery(account, req, res, params, body, options));
};

module.exports = { queryPlan, partitionScope };
