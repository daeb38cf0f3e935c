import { countCopiedBytes, type SpanSignature } from "./span-signature.js";

/** git's scale of similarity: 60,000 is identical (diffcore.h MAX_SCORE). */
export const MAX_SCORE = 60_000;
/** `-M` without a number: 50% (diffcore.h DEFAULT_RENAME_SCORE). */
export const DEFAULT_RENAME_SCORE = 30_000;

/** One side of a possible rename: what git's estimate reads (mode, blob size) and the blob's fingerprint. */
export type SimilarityInput = { mode: string; size: number; signature: () => SpanSignature | null };

/**
 * How much of `destination` comes from `source`, 0 to MAX_SCORE: a port of `estimate_similarity` in git's
 * diffcore-rename.c. Only regular files are compared; sizes too far apart for `minimumScore` are rejected before
 * any content is read. A side without a fingerprint (content not stored: binary, too large) scores 0 — git would
 * read the blob, memory cannot.
 */
export function estimateSimilarity(
  source: SimilarityInput,
  destination: SimilarityInput,
  minimumScore: number,
): number {
  if (!isRegularFile(source.mode) || !isRegularFile(destination.mode)) return 0;
  const maxSize = Math.max(source.size, destination.size);
  const deltaSize = maxSize - Math.min(source.size, destination.size);
  if (maxSize * (MAX_SCORE - minimumScore) < deltaSize * MAX_SCORE) return 0;
  const sourceSignature = source.signature();
  const destinationSignature = destination.signature();
  if (!sourceSignature || !destinationSignature) return 0;
  if (destination.size === 0) return 0;
  return Math.floor((countCopiedBytes(sourceSignature, destinationSignature) * MAX_SCORE) / maxSize);
}

/** The size check of estimateSimilarity alone: whether the pair can reach `minimumScore` at all. */
export function sizesCanMatch(sourceSize: number, destinationSize: number, minimumScore: number): boolean {
  const maxSize = Math.max(sourceSize, destinationSize);
  const deltaSize = maxSize - Math.min(sourceSize, destinationSize);
  return maxSize * (MAX_SCORE - minimumScore) >= deltaSize * MAX_SCORE;
}

/** S_ISREG: 100644 and 100755 (not symlinks 120000 nor submodules 160000). */
export function isRegularFile(mode: string): boolean {
  return mode.startsWith("100");
}

/** git's similarity percent of a score, as in `R087` (similarity_index). */
export function similarityPercent(score: number): number {
  return Math.floor((score * 100) / MAX_SCORE);
}
