import { createHash, type Hash } from "node:crypto";

/**
 * A running hash of a blob of known size, fed chunk by chunk, whose hex digest is the blob's git object id (the same
 * as gitBlobSha of all the bytes at once), so a large file can be checked without holding it.
 * @example const hash = createGitBlobHash(header.size); for await (const chunk of entry) hash.update(chunk); hash.digest("hex")
 */
export function createGitBlobHash(size: number): Hash {
  return createHash("sha1").update(`blob ${size}\0`);
}
