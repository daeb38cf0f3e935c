import { describe, expect, it } from "@jest/globals";
import { planBlobBatches } from "../../src/github/plan-blob-batches.js";

describe("planBlobBatches", () => {
  const sizes = (batches: { size: number }[][]) => batches.map((batch) => batch.map((blob) => blob.size));

  it("closes a batch at the count limit or before the byte limit is passed; an oversized blob stands alone", () => {
    const blobs = [1, 2, 3, 4, 10, 1, 1, 1, 1].map((size) => ({ size }));

    expect(sizes(planBlobBatches(blobs, { maxCount: 3, maxBytes: 6 }))).toEqual([
      [1, 2, 3],
      [4],
      [10],
      [1, 1, 1],
      [1],
    ]);
  });

  it("returns no batch for no blobs", () => {
    expect(planBlobBatches([], { maxCount: 100, maxBytes: 1 })).toEqual([]);
  });
});
