import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import type { FileChange } from "./compare-states.js";

/** Why a changed file has no patch. */
export type PatchOmitted = "binary" | "too_large" | "submodule" | "too_complex" | "page_budget";

/** A changed file's unified diff (3 lines of context, `--- a/old` / `+++ b/new` headers, as git prints). */
export type FilePatch = {
  /** null when there is no patch; `omitted` then says why */
  text: string | null;
  /** the patch was cut at a line after `maxBytes` or `maxLines` (a cut patch cannot be applied) */
  truncated: boolean;
  omitted: PatchOmitted | null;
};

export type PatchLimits = { maxBytes: number; maxLines: number; timeoutMs: number };

export const DEFAULT_PATCH_LIMITS: PatchLimits = { maxBytes: 256 * 1024, maxLines: 5000, timeoutMs: 2000 };

/** What a change needs to be shown as text: the stored contents it has (null where the side does not exist). */
export type PatchContents = { old: string | null; new: string | null };

/**
 * The unified diff of one change from the stored texts. Binary, too-large and submodule sides are named instead
 * of diffed; a diff that takes longer than `timeoutMs` to compute is `too_complex`; a long one is cut.
 */
export function buildFilePatch(
  change: FileChange,
  contents: PatchContents,
  limits: PatchLimits = DEFAULT_PATCH_LIMITS,
): FilePatch {
  const omitted = omittedSide(change);
  if (omitted) return { text: null, truncated: false, omitted };
  const oldName = change.old ? `a/${change.previousPath ?? change.path}` : "/dev/null";
  const newName = change.new ? `b/${change.path}` : "/dev/null";
  const text = createTwoFilesPatch(
    oldName,
    newName,
    contents.old ?? "",
    contents.new ?? "",
    undefined,
    undefined,
    {
      context: 3,
      timeout: limits.timeoutMs,
      headerOptions: FILE_HEADERS_ONLY,
    },
  );
  if (text === undefined) return { text: null, truncated: false, omitted: "too_complex" };
  return truncate(text, limits);
}

function omittedSide(change: FileChange): PatchOmitted | null {
  for (const side of [change.old, change.new]) {
    if (!side) continue;
    if (side.mode === "160000") return "submodule";
    if (side.omitted) return side.omitted;
  }
  return null;
}

function truncate(text: string, limits: PatchLimits): FilePatch {
  let end = 0;
  let lines = 0;
  let bytes = 0;
  while (end < text.length) {
    const newline = text.indexOf("\n", end);
    const next = newline === -1 ? text.length : newline + 1;
    bytes += Buffer.byteLength(text.slice(end, next));
    if (lines + 1 > limits.maxLines || bytes > limits.maxBytes) {
      return { text: text.slice(0, end), truncated: true, omitted: null };
    }
    end = next;
    lines += 1;
  }
  return { text, truncated: false, omitted: null };
}
