import { z } from "zod";
import { AppError } from "../errors.js";

/** Where a search continues: after this blob SHA, looking ahead `width` of the SHA space (see searchMemory). */
export type SearchCursor = { after: string; width: number };

/** The SHA space as the first 8 hex digits of a SHA. */
export const SHA_SPACE = 2 ** 32;
export const START: SearchCursor = { after: "", width: SHA_SPACE / 64 };

const cursorSchema = z.object({
  a: z.string().regex(/^[0-9a-f]{0,64}$/),
  w: z
    .number()
    .int()
    .min(2 ** 12)
    .max(SHA_SPACE),
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

/** The first 8 hex digits of a SHA (or of a range bound) as a number; 0 for the start. */
export function shaPosition(sha: string): number {
  return sha === "" ? 0 : Number.parseInt(sha.slice(0, 8).padEnd(8, "0"), 16);
}

/** A range bound: the 8-hex-digit prefix at `position`, or null past the end of the space. */
export function shaBound(position: number): string | null {
  return position >= SHA_SPACE ? null : position.toString(16).padStart(8, "0");
}
