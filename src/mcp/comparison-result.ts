import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { SyncComparison } from "../service/compare-syncs.js";
import { briefChange, comparisonFrame } from "./brief-views.js";
import { fitPage, jsonResult } from "./result-cap.js";

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
