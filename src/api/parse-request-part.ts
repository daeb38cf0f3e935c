import type { z } from "zod";
import { AppError } from "../errors.js";

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
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `unknown ${PART_NAMES[part]} "${key}"`).join("; ");
    }
    if (issue.path.length === 0)
      return `${part === "body" ? "the body" : PART_NAMES[part]}: ${issue.message}`;
    return `${PART_NAMES[part]} ${issue.path.join(".")}: ${issue.message}`;
  });
  throw new AppError("BAD_INPUT", `${problems.join("; ")}.`);
}
