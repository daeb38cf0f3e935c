export type BlobBatchLimits = { maxCount: number; maxBytes: number };

/**
 * Splits blobs, in order, into batches of at most `maxCount` blobs and `maxBytes` summed size; a blob bigger than
 * `maxBytes` gets a batch of its own.
 * @example planBlobBatches(blobs, { maxCount: 100, maxBytes: 4_000_000 })
 */
export function planBlobBatches<T extends { size: number }>(
  blobs: readonly T[],
  limits: BlobBatchLimits,
): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const blob of blobs) {
    if (batch.length > 0 && (batch.length >= limits.maxCount || bytes + blob.size > limits.maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(blob);
    bytes += blob.size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
