import { createHash } from "node:crypto";

/**
 * The object id git gives these bytes as a blob: sha1 of `blob <length>\0` followed by the bytes.
 * @example gitBlobSha(new TextEncoder().encode("hello\n")) // "ce013625030ba8dba906f756967f9e9ca394464a"
 */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}
