import type { RenameSide } from "../compare/detect-renames.js";
import { type SpanSignature, spanSignature } from "../compare/span-signature.js";
import { readBlobContents } from "../memory/read-blob-contents.js";
import type { ServiceDeps } from "./service-deps.js";

// Content is read this many bytes at a time and reduced to fingerprints at once, so memory holds one batch of text.
const BATCH_BYTES = 16 * 1024 * 1024;

/** The rename fingerprints of some stored blobs (those without stored content are absent). */
export async function loadSpanSignatures(
  deps: Pick<ServiceDeps, "db">,
  repositoryId: string,
  sides: readonly RenameSide[],
): Promise<Map<string, SpanSignature>> {
  const signatures = new Map<string, SpanSignature>();
  let batch: string[] = [];
  let bytes = 0;
  const flush = async () => {
    const contents = await readBlobContents(deps.db, repositoryId, batch);
    for (const [sha, content] of contents) signatures.set(sha, spanSignature(Buffer.from(content, "utf8")));
    batch = [];
    bytes = 0;
  };
  for (const side of sides) {
    if (batch.length > 0 && bytes + side.size > BATCH_BYTES) await flush();
    batch.push(side.sha);
    bytes += side.size;
  }
  if (batch.length > 0) await flush();
  return signatures;
}
