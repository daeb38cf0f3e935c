import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { ComparePageOptions, SyncComparison } from "../service/compare-syncs.js";
import { briefChange, comparisonFrame } from "./brief-views.js";
import { cursorField, limitField, pathPrefixField } from "./mcp-input-fields.js";
import { fitPage, jsonResult } from "./result-cap.js";

/** The page fields of compare and changes_since. */
export const comparePageFields = {
  path: pathPrefixField.optional(),
  diff: z
    .boolean()
    .optional()
    .describe(
      "include each file's unified diff (long diffs are cut; default false: paths and statuses only)",
    ),
  cursor: cursorField.optional(),
  limit: limitField(500, 100).optional().describe("changes per page, 1 to 500 (default 100; 20 with diff)"),
};

/** The page fields as the service takes them (a smaller default page with diffs). */
export function comparePageOptions(input: {
  path?: string;
  diff?: boolean;
  cursor?: string;
  limit?: number;
}): ComparePageOptions {
  return {
    pathPrefix: input.path,
    cursor: input.cursor,
    limit: input.limit ?? (input.diff ? 20 : 100),
    patches: input.diff ?? false,
  };
}

/** A page of a comparison as a tool answers it: the frame, the changes that fit the cap, and the cursor. */
export function comparisonResult(
  comparison: SyncComparison,
  extra: Record<string, unknown> = {},
): CallToolResult {
  const changes = comparison.changes.map(briefChange);
  return jsonResult(
    fitPage(changes, (kept, cut) => ({
      ...comparisonFrame(comparison),
      ...extra,
      changes: kept,
      nextCursor: cut ? (kept.at(-1)?.path ?? null) : comparison.nextCursor,
    })),
  );
}
