// The binary encoding the .NET SDK uses for TransactionalBatch: HybridRow rows in a RecordIO stream.
//
// The .NET SDK (ServerBatchRequest, TransactionalBatchResponse) does not send a batch as JSON: it writes one HybridRow
// per operation (schema "BatchOperation") into a RecordIO stream, and reads the answer as a RecordIO stream of rows of
// schema "BatchResult" (schemas: Microsoft.Azure.Cosmos/src/Batch/HybridRowBatchSchemas.json). A response whose first
// byte is not the HybridRow version (0x81) is not parsed at all: every operation then reports the response's status.
// This module reads and writes exactly the subset those two schemas and the RecordIO headers use; the layout rules below
// follow the HybridRow library the SDK ships (Microsoft.Azure.Cosmos.Serialization.HybridRow 1.1.0-preview3,
// source: github.com/microsoft/HybridRow, src/Serialization/HybridRow).
//
// A row: version byte 0x81, schema id (int32 LE), then the schematized part: a presence bitmask (one bit per nullable
// fixed column and per variable column, in schema order, least significant bit first), the fixed columns (little
// endian, in order), the present variable columns (varuint length + bytes, in order); then sparse fields to the end of
// the row, each a type code byte, a path (varuint token: 1.. for the schema's columns in layout order fixed, variable,
// sparse; or, for an unknown path, token count + byte length followed by the UTF-8 path) and the value.
// A RecordIO stream: a segment header row (system schema "Segment": its own length), then per record a record header row
// (system schema "Record": body length, CRC-32 of the body) followed by the body row.
"use strict";

const zlib = require("zlib");

const VERSION = 0x81;
const HEADER_SIZE = 5; // version byte + schema id

// Layout codes of the types these schemas use (LayoutCode.cs).
const CODE = {
  null: 1,
  boolFalse: 2,
  bool: 3,
  int8: 5,
  int16: 6,
  int32: 7,
  int64: 8,
  uint8: 9,
  uint16: 10,
  uint32: 11,
  uint64: 12,
  float32: 15,
  float64: 16,
  utf8: 20,
  binary: 21,
  endScope: 70,
};

const FIXED_SIZE = { int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, uint16: 2, uint32: 4, uint64: 8, float32: 4, float64: 8 };

class HybridRowError extends Error {}

/**
 * The layout of a flat schema (what LayoutCompiler/LayoutBuilder compute): presence bits, fixed offsets, variable order,
 * path tokens.
 */
function compile(schema) {
  const fixed = [];
  const variable = [];
  const sparse = [];
  let bit = 0;
  let fixedSize = 0;
  for (const property of schema.properties) {
    const { path, type, storage } = property;
    const nullable = property.nullable !== false;
    if (storage === "fixed") {
      if (!(type in FIXED_SIZE)) throw new Error(`fixed ${type} is not supported here`);
      fixed.push({ path, type, nullBit: nullable ? bit++ : -1, offset: fixedSize });
      fixedSize += FIXED_SIZE[type];
    } else if (storage === "variable") {
      if (type !== "utf8" && type !== "binary") throw new Error(`variable ${type} is not supported here`);
      variable.push({ path, type, nullBit: bit++ });
    } else if (storage === "sparse") {
      sparse.push({ path, type });
    } else {
      throw new Error(`unknown storage ${storage}`);
    }
  }
  const bitmaskBytes = Math.ceil(bit / 8);
  for (const column of fixed) column.offset += bitmaskBytes;
  const tokens = [""]; // token 0 is the empty path
  for (const column of [...fixed, ...variable, ...sparse]) tokens.push(column.path);
  return { id: schema.id, name: schema.name, fixed, variable, sparse, bitmaskBytes, size: bitmaskBytes + fixedSize, tokens };
}

function readVarUInt(buffer, offset) {
  let value = 0;
  let shift = 0;
  let at = offset;
  for (;;) {
    if (at >= buffer.length) throw new HybridRowError("truncated varuint");
    const b = buffer[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
    if (shift > 49) throw new HybridRowError("varuint too long");
  }
  return { value, next: at };
}

function writeVarUInt(value) {
  const bytes = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function readFixed(buffer, offset, type) {
  if (offset + FIXED_SIZE[type] > buffer.length) throw new HybridRowError(`truncated ${type}`);
  switch (type) {
    case "int8": return buffer.readInt8(offset);
    case "int16": return buffer.readInt16LE(offset);
    case "int32": return buffer.readInt32LE(offset);
    case "int64": return buffer.readBigInt64LE(offset);
    case "uint8": return buffer.readUInt8(offset);
    case "uint16": return buffer.readUInt16LE(offset);
    case "uint32": return buffer.readUInt32LE(offset);
    case "uint64": return buffer.readBigUInt64LE(offset);
    case "float32": return buffer.readFloatLE(offset);
    case "float64": return buffer.readDoubleLE(offset);
    default: throw new HybridRowError(`unsupported fixed type ${type}`);
  }
}

function writeFixed(type, value) {
  const b = Buffer.alloc(FIXED_SIZE[type]);
  switch (type) {
    case "int32": b.writeInt32LE(value); break;
    case "uint32": b.writeUInt32LE(value); break;
    case "float64": b.writeDoubleLE(value); break;
    default: throw new Error(`writing ${type} is not supported here`);
  }
  return b;
}

const bitSet = (buffer, bit) => (buffer[HEADER_SIZE + (bit >> 3)] & (1 << (bit & 7))) !== 0;

/** Decodes one row of the given layout into { path: value } (utf8 as string, binary as Buffer). */
function decodeRow(layout, row) {
  if (row.length < HEADER_SIZE + layout.size) throw new HybridRowError("row shorter than its schema");
  if (row[0] !== VERSION) throw new HybridRowError(`unknown HybridRow version 0x${row[0].toString(16)}`);
  const schemaId = row.readInt32LE(1);
  if (schemaId !== layout.id) throw new HybridRowError(`row of schema ${schemaId}, expected ${layout.name} (${layout.id})`);
  const result = {};
  for (const column of layout.fixed) {
    if (column.nullBit < 0 || bitSet(row, column.nullBit)) {
      result[column.path] = readFixed(row, HEADER_SIZE + column.offset, column.type);
    }
  }
  let at = HEADER_SIZE + layout.size;
  for (const column of layout.variable) {
    if (!bitSet(row, column.nullBit)) continue;
    const { value: length, next } = readVarUInt(row, at);
    if (next + length > row.length) throw new HybridRowError(`truncated ${column.path}`);
    const bytes = row.subarray(next, next + length);
    result[column.path] = column.type === "utf8" ? bytes.toString("utf8") : Buffer.from(bytes);
    at = next + length;
  }
  while (at < row.length) {
    const code = row[at++];
    if (code === CODE.endScope) break;
    const token = readVarUInt(row, at);
    at = token.next;
    let path;
    if (token.value < layout.tokens.length) {
      path = layout.tokens[token.value];
    } else {
      const length = token.value - layout.tokens.length;
      path = row.subarray(at, at + length).toString("utf8");
      at += length;
    }
    let value;
    switch (code) {
      case CODE.null: value = null; break;
      case CODE.bool: value = true; break;
      case CODE.boolFalse: value = false; break;
      case CODE.utf8:
      case CODE.binary: {
        const { value: length, next } = readVarUInt(row, at);
        if (next + length > row.length) throw new HybridRowError(`truncated ${path}`);
        const bytes = row.subarray(next, next + length);
        value = code === CODE.utf8 ? bytes.toString("utf8") : Buffer.from(bytes);
        at = next + length;
        break;
      }
      default: {
        const type = Object.keys(CODE).find(name => CODE[name] === code);
        if (!type || !(type in FIXED_SIZE)) throw new HybridRowError(`unsupported sparse type code ${code} at ${path}`);
        value = readFixed(row, at, type);
        at += FIXED_SIZE[type];
      }
    }
    result[path] = value;
  }
  return result;
}

/** Encodes { path: value } as one row of the given layout (absent or undefined values are left out). */
function encodeRow(layout, values) {
  const head = Buffer.alloc(HEADER_SIZE + layout.size);
  head[0] = VERSION;
  head.writeInt32LE(layout.id, 1);
  const setBit = bit => { head[HEADER_SIZE + (bit >> 3)] |= 1 << (bit & 7); };
  for (const column of layout.fixed) {
    const value = values[column.path];
    if (value === undefined) continue;
    writeFixed(column.type, value).copy(head, HEADER_SIZE + column.offset);
    if (column.nullBit >= 0) setBit(column.nullBit);
  }
  const parts = [head];
  for (const column of layout.variable) {
    const value = values[column.path];
    if (value === undefined) continue;
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8");
    setBit(column.nullBit);
    parts.push(writeVarUInt(bytes.length), bytes);
  }
  for (const column of layout.sparse) {
    const value = values[column.path];
    if (value === undefined) continue;
    const token = writeVarUInt(layout.tokens.indexOf(column.path));
    if (column.type === "bool") {
      parts.push(Buffer.from([value ? CODE.bool : CODE.boolFalse]), token);
    } else if (column.type === "utf8") {
      const bytes = Buffer.from(String(value), "utf8");
      parts.push(Buffer.from([CODE.utf8]), token, writeVarUInt(bytes.length), bytes);
    } else {
      parts.push(Buffer.from([CODE[column.type]]), token, writeFixed(column.type, value));
    }
  }
  return Buffer.concat(parts);
}

// The RecordIO system schemas (HybridRow SystemSchema.json): a segment header holding its own length, a record header
// holding the body's length and CRC-32.
const SEGMENT = compile({
  name: "Segment",
  id: 2147473648,
  properties: [
    { path: "length", type: "int32", storage: "fixed" },
    { path: "comment", type: "utf8", storage: "sparse" },
    { path: "sdl", type: "utf8", storage: "sparse" },
  ],
});
const RECORD = compile({
  name: "Record",
  id: 2147473649,
  properties: [
    { path: "length", type: "int32", storage: "fixed", nullable: false },
    { path: "crc32", type: "uint32", storage: "fixed", nullable: false },
  ],
});

/** The rows of a RecordIO stream (segments skipped), each checked against its record's length and CRC-32. */
function readRecordIO(buffer) {
  const rows = [];
  let at = 0;
  let seenSegment = false;
  while (at < buffer.length) {
    if (at + HEADER_SIZE > buffer.length) throw new HybridRowError("truncated RecordIO header");
    if (buffer[at] !== VERSION) throw new HybridRowError(`unknown HybridRow version 0x${buffer[at].toString(16)}`);
    const schemaId = buffer.readInt32LE(at + 1);
    if (schemaId === SEGMENT.id) {
      const minimal = decodeRow(SEGMENT, buffer.subarray(at, at + HEADER_SIZE + SEGMENT.size));
      const length = minimal.length;
      if (!(length >= HEADER_SIZE + SEGMENT.size) || at + length > buffer.length) throw new HybridRowError("bad RecordIO segment length");
      at += length;
      seenSegment = true;
    } else if (schemaId === RECORD.id && seenSegment) {
      const header = decodeRow(RECORD, buffer.subarray(at, at + HEADER_SIZE + RECORD.size));
      at += HEADER_SIZE + RECORD.size;
      if (header.length < 0 || at + header.length > buffer.length) throw new HybridRowError("truncated RecordIO record");
      const body = buffer.subarray(at, at + header.length);
      if (zlib.crc32(body) !== header.crc32) throw new HybridRowError("RecordIO record fails its CRC-32");
      rows.push(body);
      at += header.length;
    } else {
      throw new HybridRowError(`unexpected RecordIO row of schema ${schemaId}`);
    }
  }
  if (!seenSegment) throw new HybridRowError("RecordIO stream without a segment");
  return rows;
}

/** A RecordIO stream of one segment holding the given rows. */
function writeRecordIO(rows) {
  const segment = encodeRow(SEGMENT, { length: HEADER_SIZE + SEGMENT.size });
  const parts = [segment];
  for (const row of rows) {
    parts.push(encodeRow(RECORD, { length: row.length, crc32: zlib.crc32(row) }), row);
  }
  return Buffer.concat(parts);
}

// The batch schemas of the .NET SDK (HybridRowBatchSchemas.json), in their order.
const BATCH_OPERATION = compile({
  name: "BatchOperation",
  id: 2145473648,
  properties: [
    { path: "operationType", type: "int32", storage: "fixed" },
    { path: "resourceType", type: "int32", storage: "fixed" },
    { path: "partitionKey", type: "utf8", storage: "variable" },
    { path: "effectivePartitionKey", type: "binary", storage: "variable" },
    { path: "id", type: "utf8", storage: "variable" },
    { path: "binaryId", type: "binary", storage: "variable" },
    { path: "resourceBody", type: "binary", storage: "variable" },
    { path: "indexingDirective", type: "utf8", storage: "sparse" },
    { path: "ifMatch", type: "utf8", storage: "sparse" },
    { path: "ifNoneMatch", type: "utf8", storage: "sparse" },
    { path: "timeToLiveInSeconds", type: "int32", storage: "sparse" },
    { path: "minimalReturnPreference", type: "bool", storage: "sparse" },
  ],
});
const BATCH_RESULT = compile({
  name: "BatchResult",
  id: 2145473649,
  properties: [
    { path: "statusCode", type: "int32", storage: "fixed" },
    { path: "subStatusCode", type: "int32", storage: "fixed" },
    { path: "eTag", type: "utf8", storage: "variable" },
    { path: "resourceBody", type: "binary", storage: "variable" },
    { path: "retryAfterMilliseconds", type: "uint32", storage: "sparse" },
    { path: "requestCharge", type: "float64", storage: "sparse" },
  ],
});

/** Whether a request body is a HybridRow stream (the .NET SDK's batch) rather than JSON. */
const isHybridRow = body => body.length > 0 && body[0] === VERSION;

/** The operations of a .NET SDK batch request body. */
function readBatchOperations(body) {
  return readRecordIO(body).map(row => decodeRow(BATCH_OPERATION, row));
}

/** The body of a batch response: one BatchResult row per result, in order. */
function writeBatchResults(results) {
  return writeRecordIO(results.map(result => encodeRow(BATCH_RESULT, result)));
}

module.exports = {
  HybridRowError,
  isHybridRow,
  readBatchOperations,
  writeBatchResults,
  // for tests of the codec itself
  compile,
  decodeRow,
  encodeRow,
  readRecordIO,
  writeRecordIO,
  BATCH_OPERATION,
  BATCH_RESULT,
};
