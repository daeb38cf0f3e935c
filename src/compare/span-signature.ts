/**
 * A blob's fingerprint for git's similarity estimate: how many bytes of it fall in each span hash, sorted by hash.
 * A port of `hash_chars` in git's diffcore-delta.c (git 2.39).
 */
export type SpanSignature = { hashes: Uint32Array; counts: Uint32Array };

// A prime between 2^16 and 2^17, as in git.
const HASHBASE = 107_927;
// git looks for a NUL in the first 8,000 bytes to call a blob binary (buffer_is_binary).
const FIRST_FEW_BYTES = 8000;
const LF = 10;
const CR = 13;

/**
 * Cuts the bytes into spans ending at a newline or after 64 bytes, hashes each span with git's rolling hash and adds
 * its length to its hash's count. As in git: the CR of a CRLF is skipped in text (no NUL in the first 8,000 bytes),
 * and a last span that is neither 64 bytes long nor ended by a newline is not counted.
 */
export function spanSignature(bytes: Uint8Array): SpanSignature {
  const isText = !bytes.subarray(0, FIRST_FEW_BYTES).includes(0);
  const byHash = new Map<number, number>();
  let accum1 = 0;
  let accum2 = 0;
  let n = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    const c = bytes[index] as number;
    if (isText && c === CR && index + 1 < bytes.length && bytes[index + 1] === LF) continue;
    const old1 = accum1;
    accum1 = ((accum1 << 7) ^ (accum2 >>> 25)) >>> 0;
    accum2 = ((accum2 << 7) ^ (old1 >>> 25)) >>> 0;
    accum1 = (accum1 + c) >>> 0;
    n += 1;
    if (n < 64 && c !== LF) continue;
    const hash = ((accum1 + Math.imul(accum2, 0x61)) >>> 0) % HASHBASE;
    byHash.set(hash, (byHash.get(hash) ?? 0) + n);
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  const hashes = Uint32Array.from(byHash.keys()).sort();
  const counts = hashes.map((hash) => byHash.get(hash) ?? 0);
  return { hashes, counts };
}

/**
 * The bytes of `destination` that were copied from `source`: per span hash, the smaller of the two counts
 * (`src_copied` of git's diffcore_count_changes).
 */
export function countCopiedBytes(source: SpanSignature, destination: SpanSignature): number {
  let copied = 0;
  let d = 0;
  for (let s = 0; s < source.hashes.length; s += 1) {
    const hash = source.hashes[s] as number;
    while (d < destination.hashes.length && (destination.hashes[d] as number) < hash) d += 1;
    if (d < destination.hashes.length && destination.hashes[d] === hash) {
      copied += Math.min(source.counts[s] as number, destination.counts[d] as number);
      d += 1;
    }
  }
  return copied;
}
