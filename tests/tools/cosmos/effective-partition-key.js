// Effective partition keys (EPK) of hierarchical (MultiHash, version 2) containers, as Cosmos DB computes them.
//
// For a query with a prefix of a hierarchical key (e.g. only the tenantId of [/tenantId, /userId]) the .NET SDK does not
// send the key's values: it sends the EPK range the prefix covers (x-ms-start-epk / x-ms-end-epk). To answer such a
// query the server must know each document's EPK, so this module computes it the way the SDK does: per component,
// MurmurHash3 x64 128-bit (seed 0) of the component's binary encoding, bytes reversed, top two bits cleared, upper-case
// hex; the components' hashes concatenated. The hash was checked against the SDK's published MurmurHash3 baselines
// and the result against the x-ms-start-epk the SDK sends for a tenant; if it drifts, a prefix query matches nothing
// and CosmosQueryShimTests fails.
"use strict";

const MASK64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const rotl64 = (x, r) => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & MASK64;
const mul64 = (a, b) => (a * b) & MASK64;

function fmix64(k) {
  k ^= k >> 33n;
  k = mul64(k, 0xff51afd7ed558ccdn);
  k ^= k >> 33n;
  k = mul64(k, 0xc4ceb9fe1a85ec53n);
  k ^= k >> 33n;
  return k;
}

/** MurmurHash3 x64 128-bit of a Buffer; returns [h1, h2] as unsigned 64-bit BigInts. */
function murmur3x64_128(bytes, seed = 0n) {
  let h1 = seed;
  let h2 = seed;
  const blocks = Math.floor(bytes.length / 16);
  for (let i = 0; i < blocks; i += 1) {
    let k1 = bytes.readBigUInt64LE(i * 16);
    let k2 = bytes.readBigUInt64LE(i * 16 + 8);
    k1 = mul64(rotl64(mul64(k1, C1), 31), C2);
    h1 ^= k1;
    h1 = (mul64(rotl64(h1, 27) + h2, 1n) * 5n + 0x52dce729n) & MASK64;
    k2 = mul64(rotl64(mul64(k2, C2), 33), C1);
    h2 ^= k2;
    h2 = (mul64(rotl64(h2, 31) + h1, 1n) * 5n + 0x38495ab5n) & MASK64;
  }
  const tail = bytes.subarray(blocks * 16);
  let k1 = 0n;
  let k2 = 0n;
  for (let i = tail.length - 1; i >= 8; i -= 1) k2 ^= BigInt(tail[i]) << BigInt((i - 8) * 8);
  if (tail.length > 8) {
    k2 = mul64(rotl64(mul64(k2, C2), 33), C1);
    h2 ^= k2;
  }
  for (let i = Math.min(tail.length, 8) - 1; i >= 0; i -= 1) k1 ^= BigInt(tail[i]) << BigInt(i * 8);
  if (tail.length > 0) {
    k1 = mul64(rotl64(mul64(k1, C1), 31), C2);
    h1 ^= k1;
  }
  const len = BigInt(bytes.length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  return [h1, h2];
}

/** The binary encoding Cosmos DB hashes for one partition key component (hash version 2). */
function encodeComponent(value) {
  if (typeof value === "string") {
    return Buffer.concat([Buffer.from([0x08]), Buffer.from(value, "utf8"), Buffer.from([0xff])]);
  }
  if (value === true) return Buffer.from([0x03]);
  if (value === false) return Buffer.from([0x02]);
  if (value === null) return Buffer.from([0x01]);
  if (typeof value === "number") {
    const b = Buffer.alloc(9);
    b[0] = 0x05;
    b.writeDoubleLE(value, 1);
    return b;
  }
  // Undefined (a document without the path) and objects are not hashed here; no container of ours stores them.
  throw new Error(`cannot hash a partition key component of type ${value === undefined ? "undefined" : typeof value}`);
}

/** The 128-bit hash of one component's encoding, bytes in the order the EPK prints them. */
function hashComponentRaw(value) {
  const [h1, h2] = murmur3x64_128(encodeComponent(value));
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64LE(h1, 0);
  bytes.writeBigUInt64LE(h2, 8);
  return bytes.reverse();
}

/** The EPK of one component: 32 upper-case hex digits, top two bits cleared. */
function hashComponent(value) {
  const bytes = hashComponentRaw(value);
  bytes[0] &= 0x3f;
  return bytes.toString("hex").toUpperCase();
}

/** The EPK of a (full or prefix) hierarchical key: the components' EPKs concatenated. */
function effectivePartitionKey(values) {
  return values.map(hashComponent).join("");
}

module.exports = { effectivePartitionKey };
