import { z } from "zod";
import { DeliveryStatus } from "../generated/prisma/enums.js";
import { isValidBranchName } from "../github/is-valid-branch-name.js";

// The API's inputs. Objects are strict (an unknown parameter or field is bad input rather than silently ignored);
// query values arrive as strings, so numbers are coerced and then range-checked.

const owner = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "is not a GitHub owner name")
  .meta({ description: "repository owner (user or organisation)", example: "octo-org" });
const repo = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, "is not a GitHub repository name")
  .refine((name) => name !== "." && name !== "..", "is not a GitHub repository name")
  .meta({ description: "repository name", example: "hello-world" });
const syncId = z.uuid("is not a sync id (a UUID)").meta({ description: "a sync's id" });
const branch = z
  .string()
  .min(1)
  .max(255)
  .refine(isValidBranchName, "is not a valid branch name")
  .meta({ description: "branch name; the repository's default branch when absent" });
const limit = (max: number, fallback: number) =>
  z.coerce
    .number("must be a whole number")
    .int("must be a whole number")
    .min(1)
    .max(max)
    .optional()
    .meta({ description: `page size, 1 to ${max} (default ${fallback})` });
const filePath = z.string().min(1).max(4096);

export const repositoryParams = z.strictObject({ owner, repo });
export const syncParams = z.strictObject({ syncId });

export const listRepositoriesQuery = z.strictObject({
  limit: limit(500, 50),
  cursor: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,38}\/[a-z0-9._-]{1,100}$/, "is not a cursor of this listing")
    .optional()
    .meta({ description: "the previous page's nextCursor" }),
});

export const noFields = z.strictObject({});

export const listSyncsQuery = z.strictObject({
  branch: branch.optional().meta({ description: "only this branch's syncs (every branch when absent)" }),
  limit: limit(500, 50),
  cursor: z
    .uuid("is not a cursor of this listing")
    .optional()
    .meta({ description: "the previous page's nextCursor" }),
});

export const startSyncBody = z.strictObject({
  branch: branch.optional(),
  full: z.boolean().optional().meta({ description: "re-read every file instead of trusting stored content" }),
});

export const purgeBody = z.strictObject({
  force: z.boolean().optional().meta({
    description: "purge even though the GitHub App is still installed on it (it would sync it again)",
  }),
});

export const readMemoryQuery = z.strictObject({
  branch: branch.optional(),
  path: filePath.optional().meta({ description: "only paths starting with this prefix" }),
  limit: limit(5000, 1000),
  cursor: filePath.optional().meta({ description: "the previous page's nextCursor" }),
  asOf: syncId.optional().meta({ description: "a successful sync: memory as it was right after it" }),
});

export const readMemoryFileQuery = z.strictObject({
  branch: branch.optional(),
  path: filePath.meta({ description: "the file's path" }),
  asOf: syncId.optional().meta({ description: "a successful sync: the file as it was right after it" }),
});

const flag = (description: string) =>
  z
    .enum(["true", "false"], "must be true or false")
    .transform((value) => value === "true")
    .optional()
    .meta({ description });

export const searchMemoryQuery = z.strictObject({
  q: z
    .string()
    .min(1)
    .max(1000)
    .meta({ description: "what to find: a literal, or an RE2 regular expression with regex=true" }),
  regex: flag("q is an RE2 regular expression (default false: a literal)"),
  case: z
    .enum(["sensitive", "insensitive"], "must be sensitive or insensitive")
    .optional()
    .meta({ description: "case-sensitive (default) or not" }),
  branch: branch.optional(),
  allBranches: flag("search the current memory of every tracked branch (each result names its branches)"),
  asOf: syncId.optional().meta({ description: "a successful sync: search memory as it was right after it" }),
  path: filePath
    .max(1000)
    .optional()
    .meta({ description: "only paths starting with this prefix, or matching this glob" }),
  limit: limit(100, 20),
  cursor: z.string().max(200).optional().meta({ description: "the previous page's nextCursor" }),
});

const deliveryId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,100}$/, "is not a delivery id (X-GitHub-Delivery)")
  .meta({ description: "a webhook delivery's id (its X-GitHub-Delivery GUID)" });

export const deliveryParams = z.strictObject({ deliveryId });

export const listDeliveriesQuery = z.strictObject({
  status: z.enum(DeliveryStatus).optional().meta({
    description: "only deliveries in this state (every state when absent); parked ones need attention",
  }),
  limit: limit(500, 50),
  cursor: deliveryId.optional().meta({ description: "the previous page's nextCursor" }),
});

export const syncEventsQuery = z.strictObject({
  lastEventId: z
    .string()
    .regex(/^\d{1,19}$/, "is not the id of an event of this stream")
    .optional()
    .meta({ description: "resume after this event (for clients that cannot send the Last-Event-ID header)" }),
});

export const compareParams = z.strictObject({
  from: syncId.meta({ description: "the successful sync whose memory is the old side" }),
  to: syncId.meta({
    description: "the successful sync whose memory is the new side (same repository, any branch)",
  }),
});

export const comparePageQuery = z.strictObject({
  path: filePath.optional().meta({
    description:
      "only paths starting with this prefix; renames are looked for under it, as git diff -M -- <prefix>",
  }),
  cursor: filePath
    .optional()
    .meta({ description: "the previous page's nextCursor (the last path it listed)" }),
  limit: limit(1000, 100),
  diff: z.enum(["true", "false"]).optional().meta({
    description:
      "true: each file of the page with its unified diff (at most 256 KB / 5000 lines a file, 2 MB a page)",
  }),
});
