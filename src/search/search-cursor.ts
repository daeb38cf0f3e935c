import { z } from "zod";
import { AppError } from "../errors.js";

/**
 * Search pages through blobs in SHA order, a run of *buckets* at a time: a bucket is the blobs whose SHA starts with
 * the same two hex digits (256 buckets). The trigram index holds the bucket as a key, so that one bucket's candidates
 * are found (and rechecked) without touching the rest of the index.
 */
export const BUCKETS = 256;

/** Where a search continues: after this blob SHA (or bucket bound), reading `width` buckets at a time. */
export type SearchCursor = { after: string; width: number };

export const START: SearchCursor = { after: "", width: 4 };

const cursorSchema = z.object({
  a: z.string().regex(/^[0-9a-f]{0,64}$/),
  w: z.number().int().min(1).max(BUCKETS),
});

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.after, w: cursor.width })).toString("base64url");
}

export function decodeSearchCursor(text: string | undefined): SearchCursor {
  if (text === undefined || text === "") return START;
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return { after: parsed.a, width: parsed.w };
  } catch {
    throw new AppError("BAD_INPUT", "The search cursor is not one this search returned.");
  }
}

/** The bucket a SHA (or a bucket bound) falls in; 0 for the start. */
export function bucketOf(sha: string): number {
  return sha === "" ? 0 : Number.parseInt(sha.slice(0, 2).padEnd(2, "0"), 16);
}

/** A bucket's name (its two hex digits), which is also the bound before which the previous bucket ends. */
export function bucketName(bucket: number): string {
  return bucket.toString(16).padStart(2, "0");
}

/** The bound before bucket `bucket` (as a SHA prefix), or null past the last one. */
export function bucketBound(bucket: number): string | null {
  return bucket >= BUCKETS ? null : bucketName(bucket);
}
