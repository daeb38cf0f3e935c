import { z } from "zod";
import { CHANGE_STATUSES } from "../compare/compare-states.js";
import { DeliveryStatus, OmitReason, SyncPhase, SyncStatus, SyncTrigger } from "../generated/prisma/enums.js";
import { gitShaSchema } from "../github/git-sha-schema.js";
import type { DeliveryView } from "../inbox/delivery-view.js";
import type { InboxSummary } from "../inbox/read-inbox-summary.js";
import type { MemoryEntryView, MemoryFileView } from "../memory/memory-entry-view.js";
import type { SyncComparison } from "../service/compare-syncs.js";
import type { BranchView } from "../service/list-branches.js";
import type { RepositoryView } from "../service/list-repositories.js";
import type { PurgeResult } from "../service/purge-repository.js";
import type { SyncView } from "../sync/sync-view.js";

// The API's answers as zod schemas: the OpenAPI document is generated from them, and the API tests parse every
// response with them, so neither the document nor the views can drift from what is served.

const count = z.number().int().min(0);
const sha = gitShaSchema;
const timestamp = z.iso.datetime({ offset: true });

/** `{ "error": { "code", "message" } }`, the body of every error response. */
export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ description: "Every error: a stable code and a message that says how to fix it." });

/** A sync: the object the CLI prints with --json. */
export const syncSchema = z
  .object({
    id: z.uuid(),
    repository: z.string().meta({ description: "owner/name" }),
    branch: z.string(),
    status: z.enum(SyncStatus),
    phase: z.enum(SyncPhase).nullable(),
    trigger: z.enum(SyncTrigger),
    full: z.boolean(),
    headSha: sha.nullable(),
    headTreeSha: sha.nullable(),
    baseSha: sha.nullable(),
    baseSyncId: z.uuid().nullable(),
    previousSyncId: z
      .uuid()
      .nullable()
      .meta({ description: "the sync this one extends in the branch's lineage" }),
    restoredFromSyncId: z.uuid().nullable(),
    generation: count.nullable(),
    counts: z.object({ added: count, modified: count, removed: count, renamed: count, unchanged: count }),
    stats: z.object({ filesFetched: count, bytesFetched: count, githubRequests: count }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    deliveryId: z.string().nullable(),
    checkRunId: z.number().int().nullable(),
    requestedBy: z.string().nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    searchableAt: timestamp
      .nullable()
      .meta({ description: "when all it holds was in the search index (the index's lag after finishedAt)" }),
  })
  .strict() satisfies z.ZodType<SyncView>;

/** A repository memory knows. */
export const repositorySchema = z
  .object({
    owner: z.string(),
    name: z.string(),
    fullName: z.string(),
    defaultBranch: z.string(),
    private: z.boolean(),
    active: z.boolean().meta({ description: "false once the app was uninstalled (memory stays readable)" }),
    lastSync: syncSchema.nullable().meta({ description: "the default branch's most recent sync" }),
    access: z.enum(["read", "write", "admin"]).nullable().meta({
      description:
        "what you may do on it, for someone signed in with GitHub: read (no actions), write (sync, restore), admin; `read` through a read-only personal token. null: API_TOKEN or this machine, which may do everything",
    }),
  })
  .strict() satisfies z.ZodType<RepositoryView>;

/** A branch on GitHub with its last sync. */
export const branchSchema = z
  .object({
    name: z.string(),
    headSha: sha,
    protected: z.boolean(),
    isDefault: z.boolean(),
    lastSync: syncSchema.nullable(),
    inSync: z.boolean().meta({ description: "whether memory is at the branch's head" }),
  })
  .strict() satisfies z.ZodType<BranchView>;

/** One file of a branch's memory. */
export const memoryEntrySchema = z
  .object({
    path: z.string(),
    mode: z.string(),
    blobSha: sha,
    size: count,
    isBinary: z.boolean(),
    omitted: z.enum(OmitReason).nullable().meta({ description: "why content is not stored" }),
    syncId: z.uuid().meta({ description: "the sync that wrote this version of the file" }),
  })
  .strict() satisfies z.ZodType<MemoryEntryView>;

/** One file of a branch's memory with its content (null when `omitted`). */
export const memoryFileSchema = memoryEntrySchema
  .extend({ content: z.string().nullable() })
  .strict() satisfies z.ZodType<MemoryFileView>;

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "pass as `cursor` for the next page; null on the last" });

export const repositoryListSchema = z.object({ repos: z.array(repositorySchema), nextCursor }).strict();
export const branchListSchema = z.object({ branches: z.array(branchSchema), nextCursor }).strict();
export const syncListSchema = z.object({ syncs: z.array(syncSchema), nextCursor }).strict();
export const memoryPageSchema = z.object({ entries: z.array(memoryEntrySchema), nextCursor }).strict();

const lineMatchSchema = z
  .object({
    line: z.number().int().meta({ description: "line number, from 1" }),
    text: z.string().meta({ description: "the line (a window of it when long: see column)" }),
    column: z.number().int().meta({ description: "where text starts in the line" }),
    ranges: z
      .array(z.tuple([z.number().int(), z.number().int()]))
      .meta({ description: "matched [start, end) in text, UTF-16 offsets" }),
    before: z.string().nullable().meta({ description: "the line before (null: none)" }),
    after: z.string().nullable().meta({ description: "the line after (null: none)" }),
  })
  .strict();

export const searchPageSchema = z
  .object({
    results: z.array(
      z
        .object({
          blobSha: z.string(),
          path: z.string().meta({ description: "the first path holding the file" }),
          paths: z
            .array(z.object({ branch: z.string(), path: z.string() }).strict())
            .meta({ description: "the paths (and branches) holding this content, at most 20" }),
          pathCount: z.number().int(),
          matches: z.array(lineMatchSchema).meta({ description: "the first 10 matching lines" }),
          lineCount: z.number().int().meta({ description: "matching lines, counted up to 1,000" }),
          lineCountCapped: z.boolean(),
        })
        .strict(),
    ),
    nextCursor,
    partial: z
      .boolean()
      .meta({ description: "the time budget ran out first: ask again with nextCursor to go on" }),
    method: z.enum(["trigram", "scan"]),
    scanReason: z.string().nullable(),
    notSearched: z
      .object({ binary: z.number(), tooLarge: z.number(), submodule: z.number(), symlink: z.number() })
      .strict()
      .nullable()
      .meta({ description: "paths no search reads, by reason (first page only)" }),
    scope: z.object({ branch: z.string().nullable(), asOfSyncId: z.string().nullable() }).strict(),
    elapsedMs: z.number(),
  })
  .strict();

const fileSideSchema = z
  .object({
    mode: z.string(),
    blobSha: sha,
    size: count,
    omitted: z.enum(OmitReason).nullable().meta({ description: "why content is not stored" }),
  })
  .strict();

/** A changed file's unified diff, or why there is none. */
export const filePatchSchema = z
  .object({
    text: z
      .string()
      .nullable()
      .meta({ description: "the unified diff (`--- a/old`, `+++ b/new`, 3 lines of context)" }),
    truncated: z.boolean().meta({ description: "cut at a line after 256 KB or 5000 lines" }),
    omitted: z.enum(["binary", "too_large", "submodule", "too_complex", "page_budget"]).nullable().meta({
      description:
        "why there is no patch: content not stored, a submodule, too slow to compute, or the page's 2 MB of patches spent",
    }),
  })
  .strict();

/** One changed path between two memory states, as git diff -M names it. */
export const fileChangeSchema = z
  .object({
    status: z.enum(CHANGE_STATUSES).meta({
      description:
        "added (A), removed (D), modified (M), mode (M: only the mode), type (T: file, symlink, submodule), renamed (R)",
    }),
    path: z.string().meta({ description: "the path (a rename's new path)" }),
    previousPath: z.string().nullable().meta({ description: "renamed: the old path" }),
    similarity: z
      .number()
      .int()
      .min(0)
      .max(100)
      .nullable()
      .meta({ description: "renamed: git's similarity percent (R087 is 87)" }),
    old: fileSideSchema.nullable(),
    new: fileSideSchema.nullable(),
    patch: filePatchSchema.optional().meta({ description: "with diff=true" }),
  })
  .strict();

const syncRefSchema = z
  .object({ id: z.uuid(), branch: z.string(), headSha: sha.nullable(), generation: count })
  .strict();

/** A page of the changes between two syncs' memory. */
export const syncComparisonSchema = z
  .object({
    repository: z.string().meta({ description: "owner/name" }),
    from: syncRefSchema.nullable().meta({ description: "null: no memory before (a branch's first sync)" }),
    to: syncRefSchema,
    path: z.string().nullable(),
    totals: z.object(
      Object.fromEntries(CHANGE_STATUSES.map((status) => [status, count])) as Record<
        (typeof CHANGE_STATUSES)[number],
        typeof count
      >,
    ),
    renames: z
      .object({
        inexact: z
          .boolean()
          .meta({ description: "whether edited files were looked for as renames too (as git does)" }),
        reason: z
          .string()
          .nullable()
          .meta({ description: "why only exact (or same-name) renames were looked for" }),
      })
      .strict(),
    changes: z.array(fileChangeSchema),
    nextCursor,
  })
  .strict() satisfies z.ZodType<SyncComparison>;

/** The OpenAPI document itself (described loosely: it describes the rest). */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.unknown()),
});

/** Shapes named in the OpenAPI document's components, so operations refer to them instead of repeating them. */
export const NAMED_SCHEMAS = {
  Error: errorSchema,
  Sync: syncSchema,
  Repository: repositorySchema,
  Branch: branchSchema,
  MemoryEntry: memoryEntrySchema,
  MemoryFile: memoryFileSchema,
  FileChange: fileChangeSchema,
  SyncComparison: syncComparisonSchema,
} as const;

/** What a purge deleted. */
export const purgeResultSchema = z
  .object({
    repository: z.string(),
    deleted: z.object({ syncs: count, entries: count, files: count }).strict(),
  })
  .strict() satisfies z.ZodType<PurgeResult>;

/** A stored webhook delivery (never its payload). */
export const deliverySchema = z
  .object({
    id: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    status: z.enum(DeliveryStatus),
    attempts: count,
    repositoryGithubId: z.number().int().nullable(),
    installationId: z.number().int().nullable(),
    receivedAt: timestamp,
    nextAttemptAt: timestamp.nullable().meta({ description: "pending: when the next attempt is due" }),
    processedAt: timestamp.nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .strict() satisfies z.ZodType<DeliveryView>;

export const deliveryListSchema = z.object({
  deliveries: z.array(deliverySchema),
  nextCursor: z.string().nullable(),
});

/** The webhook inbox at a glance. */
export const inboxSummarySchema = z.object({
  pending: count,
  processing: count,
  parked: count.meta({ description: "deliveries that kept failing, waiting for someone to retry them" }),
  oldestPendingSeconds: z.number().min(0),
}) satisfies z.ZodType<InboxSummary>;
