import type { z } from "zod";

export type FormatZodIssuesOptions = {
  /** name at most this many issues, then say how many more there are (default: all) */
  limit?: number;
  /**
   * what an issue is about, from its dotted path ("" at the root); default: the path itself, so an issue at the root
   * is its message alone
   */
  subject?: (path: string) => string;
  /** the caller's own wording of an issue (e.g. unknown keys named the caller's way); undefined: the default */
  wording?: (issue: z.core.$ZodIssue) => string | undefined;
};

/**
 * The app's one wording of zod issues: each names the field and says what is wrong with it, so the user can fix the
 * input without reading a stack trace.
 * @example formatZodIssues(error.issues, { limit: 5 })
 *   // "branches: Invalid input: expected array, received string; maxFileSizeBytes: Too small: … (and 2 more)"
 */
export function formatZodIssues(
  issues: readonly z.core.$ZodIssue[],
  options: FormatZodIssuesOptions = {},
): string {
  const limit = options.limit ?? issues.length;
  const named = issues
    .slice(0, limit)
    .map((issue) => options.wording?.(issue) ?? formatZodIssue(issue, options));
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : "";
  return `${named.join("; ")}${more}`;
}

function formatZodIssue(issue: z.core.$ZodIssue, options: FormatZodIssuesOptions): string {
  const path = issue.path.map(String).join(".");
  const subject = options.subject ? options.subject(path) : path;
  return subject ? `${subject}: ${issue.message}` : issue.message;
}
