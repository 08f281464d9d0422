// Resource ids (_rid) as Cosmos DB writes them in URLs: base64 with "-" in place of "/". Version 1.0.1 of the server
// writes plain base64, so every 64th database (and some collections) gets a rid containing "/", e.g. "gAA/AA==": the
// .NET SDK then asks for /dbs/gAA/AA==/colls/.../pkranges, the router cannot match the extra path segment, answers 404,
// and the SDK fails the query with "Stale cache for rid" (a test failure that depended on how many databases earlier
// tests had created). Parsing accepts both forms and replaces every "-", not only the first.
"use strict";

const ResourceId = require("@vercel/cosmosdb-server/lib/account/resource-id").default;

ResourceId.toBase64String = (buffer) => buffer.toString("base64").replace(/\//g, "-");
ResourceId.fromBase64String = (s) => Buffer.from(s.replace(/-/g, "/"), "base64");
