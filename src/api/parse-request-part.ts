import type { z } from "zod";
import { AppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";

export type RequestPart = "path" | "query" | "body";

const PART_NAMES: Record<RequestPart, string> = {
  path: "path parameter",
  query: "query parameter",
  body: "body field",
};

/**
 * One part of a request (path parameters, query string or JSON body) checked against its schema; BAD_INPUT naming
 * every problem otherwise, e.g. `query parameter limit: Too big: expected number to be <=500`.
 */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: RequestPart,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = formatZodIssues(parsed.error.issues, {
    subject: (path) =>
      path ? `${PART_NAMES[part]} ${path}` : part === "body" ? "the body" : PART_NAMES[part],
    wording: (issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => `unknown ${PART_NAMES[part]} "${key}"`).join("; ")
        : undefined,
  });
  throw new AppError("BAD_INPUT", `${problems}.`);
}
