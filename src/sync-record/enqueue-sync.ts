import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { isUniqueViolation } from "../db/is-unique-violation.js";
import { AppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";
import type { Prisma, ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncTrigger } from "../generated/prisma/enums.js";
import { gitShaSchema } from "../github/git-sha-schema.js";
import { isValidBranchName } from "../github/is-valid-branch-name.js";
import type { Logger } from "../logger.js";
import { supersedeQueuedSyncs } from "./cancel-queued-syncs.js";
import { lockBranchQueue } from "./lock-branch-queue.js";
import { type IncomingPush, orderPush } from "./order-push.js";
import { supersededMessage } from "./superseded-message.js";

export type EnqueueSyncOptions = {
  repository: Repository;
  /** the repository's default branch when absent */
  branch?: string;
  full?: boolean;
  trigger: SyncTrigger;
  /** the commit to sync (a push's `after`); the worker resolves the branch head when absent */
  headSha?: string;
  /** a push's `before`: a delivery older than a push already recorded for the branch is stale */
  pushBefore?: string;
  /** a push's time on GitHub (`repository.pushed_at`): orders deliveries that arrive out of order */
  pushedAt?: Date | null;
  /** the push deleted the branch: the sync retires the branch's memory and fetches nothing */
  deletesBranch?: boolean;
  /** a webhook delivery queues at most one sync: a redelivery returns the sync it queued (`created: false`) */
  deliveryId?: string;
  requestedBy?: string;
  /** the `/sync` comment to react on when the sync ends */
  commentId?: bigint;
  /** report the sync as a GitHub check run (checkRunState `pending`) */
  checkRun?: boolean;
  /** a restore's source sync */
  restoredFromSyncId?: string;
  /** record the sync as failed right away with this error (an invalid repository config); supersedes nothing */
  failWith?: AppError;
  /**
   * when the GitHub state that asked for this sync was read (the catch-up's branch listing): a sync of the branch
   * recorded since then came from newer news (a push), so this one is recorded stale instead of superseding it
   */
  observedAt?: Date;
  /**
   * run by the process that queues it, right away (the CLI): no worker takes it, it is not ordered among the
   * branch's requests and supersedes nothing, and it may be queued for a repository the app is not installed on
   */
  inline?: boolean;
};

export type EnqueueSyncDeps = { db: Db; now: () => Date; log: Logger };

export type EnqueueResult = {
  sync: ProjectSync;
  /** false when the delivery was seen before and nothing was written */
  created: boolean;
  /** queued syncs of the branch this one replaced, now `cancelled` with `supersededById` = sync.id */
  superseded: ProjectSync[];
};

const inputSchema = z.object({
  branch: z.string().min(1).max(255).refine(isValidBranchName, "is not a valid branch name"),
  headSha: gitShaSchema.optional(),
  pushBefore: gitShaSchema.optional(),
  deliveryId: z.string().min(1).max(200).optional(),
});

type Tx = Prisma.TransactionClient;

/** What GitHub gives as `before` of a push that creates a branch, and as `after` of one that deletes it. */
const NO_COMMIT = "0".repeat(40);

/**
 * The one door into the sync record: every request to sync a branch (webhook, `/sync`, REST, catch-up, CLI) is
 * recorded here, in one transaction under the branch's queue lock. A redelivered webhook returns the sync it queued;
 * a push older than one already recorded is recorded cancelled; otherwise the new sync is queued and replaces every
 * older queued sync of the branch (a burst of pushes becomes one sync at the newest head). A running sync is never
 * touched: the new one runs after it.
 * @example await enqueueSync(deps, { repository, branch: "main", headSha: after, pushBefore: before, trigger: "push" })
 */
export async function enqueueSync(
  deps: EnqueueSyncDeps,
  options: EnqueueSyncOptions,
): Promise<EnqueueResult> {
  const input = parseEnqueueInput(options);
  try {
    return await deps.db.$transaction(async (tx) => {
      await lockBranchQueue(tx, options.repository.id, input.branch);
      // one round trip for both checks: a burst of pushes records hundreds of syncs a second
      const [state] = await tx.$queryRaw<{ deliveredId: string | null; active: boolean | null }[]>`
        SELECT
          (SELECT id::text FROM "ProjectSync" WHERE "deliveryId" = ${input.deliveryId ?? null}) AS "deliveredId",
          (SELECT active FROM "Repository" WHERE id = ${options.repository.id}::uuid) AS active`;
      if (state?.deliveredId) {
        const sync = await tx.projectSync.findUniqueOrThrow({ where: { id: state.deliveredId } });
        return { sync, created: false, superseded: [] };
      }
      const data = rowData(deps.now(), options, input);
      if (options.inline) {
        return { sync: await tx.projectSync.create({ data }), created: true, superseded: [] };
      }
      if (!state?.active) {
        throw new AppError(
          "CONFLICT",
          `${options.repository.owner}/${options.repository.name} is not installed (the app was uninstalled); install the app on it again to sync it.`,
        );
      }
      return insertSync(tx, data, options, input);
    });
  } catch (error) {
    if (input.deliveryId && isUniqueViolation(error)) {
      const raced = await findDelivery(deps.db, input.deliveryId);
      if (raced) return raced;
    }
    throw error;
  }
}

type Input = z.infer<typeof inputSchema>;

/** The request's branch (the default branch when absent), SHAs and delivery id, checked: BAD_INPUT otherwise. */
export function parseEnqueueInput(options: EnqueueSyncOptions): Input {
  const parsed = inputSchema.safeParse({
    branch: options.branch ?? options.repository.defaultBranch,
    headSha: options.deletesBranch ? undefined : options.headSha,
    pushBefore: options.pushBefore,
    deliveryId: options.deliveryId,
  });
  if (!parsed.success) throw new AppError("BAD_INPUT", `${formatZodIssues(parsed.error.issues)}.`);
  return parsed.data;
}

async function findDelivery(db: Tx, deliveryId: string | undefined): Promise<EnqueueResult | null> {
  if (!deliveryId) return null;
  const sync = await db.projectSync.findUnique({ where: { deliveryId } });
  return sync ? { sync, created: false, superseded: [] } : null;
}

type SyncData = Prisma.ProjectSyncUncheckedCreateInput & {
  repositoryId: string;
  branch: string;
  pushBefore: string | null;
  createdAt: Date;
};

function rowData(now: Date, options: EnqueueSyncOptions, input: Input): SyncData {
  return {
    repositoryId: options.repository.id,
    branch: input.branch,
    trigger: options.trigger,
    full: options.full ?? false,
    headSha: input.headSha ?? null,
    pushBefore: input.pushBefore ?? null,
    deletesBranch: options.deletesBranch ?? false,
    deliveryId: input.deliveryId ?? null,
    requestedBy: options.requestedBy ?? null,
    commentId: options.commentId ?? null,
    restoredFromSyncId: options.restoredFromSyncId ?? null,
    pushedAt: options.pushedAt ?? null,
    // a branch deletion has no commit to put a check run on
    checkRunState: options.checkRun && !options.deletesBranch ? ("pending" as const) : null,
    ...(options.inline ? { inline: true } : {}),
    createdAt: now,
  };
}

/** A request of the worker's queue: recorded failed (invalid config), stale, or queued in place of older ones. */
async function insertSync(
  tx: Tx,
  data: SyncData,
  options: EnqueueSyncOptions,
  input: Input,
): Promise<EnqueueResult> {
  if (options.failWith) {
    const sync = await tx.projectSync.create({
      data: {
        ...data,
        status: "failed",
        errorCode: options.failWith.code,
        error: options.failWith.message,
        finishedAt: data.createdAt,
      },
    });
    return { sync, created: true, superseded: [] };
  }
  if (options.observedAt) {
    const [newer] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "ProjectSync"
      WHERE "repositoryId" = ${data.repositoryId}::uuid AND branch = ${input.branch} AND "createdAt" > ${options.observedAt}
      ORDER BY "createdAt" DESC LIMIT 1`;
    if (newer) {
      return insertStale(tx, data, {
        newerId: newer.id,
        error: `The branch was read from GitHub at ${options.observedAt.toISOString()}, and sync ${newer.id} was asked for since; nothing to do.`,
      });
    }
  }
  if (options.trigger === "push" && input.pushBefore) {
    return insertPush(tx, data, {
      repositoryId: data.repositoryId,
      branch: input.branch,
      before: input.pushBefore,
      after: options.deletesBranch ? NO_COMMIT : (input.headSha ?? NO_COMMIT),
      pushedAt: options.pushedAt ?? null,
    });
  }
  // A deletion leaves the branch at the zero SHA, which is the `before` of the push that creates it again. A restore
  // goes back to an earlier head on purpose, so it is never stale.
  const pushedHead =
    options.trigger === "restore"
      ? undefined
      : options.deletesBranch
        ? input.pushBefore && NO_COMMIT
        : input.headSha;
  const later = pushedHead ? await findLaterPush(tx, { ...data, headSha: pushedHead }) : null;
  if (later) {
    return insertStale(tx, data, {
      newerId: later.id,
      error: `This push arrived after a later one was recorded (sync ${later.id} ${
        options.deletesBranch ? "created the branch again" : `from ${pushedHead?.slice(0, 7)}`
      }); nothing to do.`,
    });
  }
  return insertQueued(tx, data);
}

/**
 * A request the branch has already moved past, recorded cancelled (SUPERSEDED by the newer one) for its history. The
 * pull request shows the newer head's check run; a commit the branch already left needs none.
 */
async function insertStale(
  tx: Tx,
  data: SyncData,
  stale: { newerId: string; error: string },
): Promise<EnqueueResult> {
  const sync = await tx.projectSync.create({
    data: {
      ...data,
      checkRunState: null,
      status: "cancelled",
      errorCode: "SUPERSEDED",
      error: stale.error,
      supersededById: stale.newerId,
      finishedAt: data.createdAt,
    },
  });
  return { sync, created: true, superseded: [] };
}

/**
 * A push, placed among the branch's recorded requests whatever order its delivery arrived in (see orderPush): stale
 * when a newer one was recorded; otherwise queued, superseding the queued syncs known to be older and keeping (with a
 * head check when they run) those whose order cannot be told.
 */
async function insertPush(tx: Tx, data: SyncData, push: IncomingPush): Promise<EnqueueResult> {
  const order = await orderPush(tx, push);
  if (order.newer) {
    return insertStale(tx, data, {
      newerId: order.newer.id,
      error: `This push arrived after ${order.newer.why} (sync ${order.newer.id}); nothing to do.`,
    });
  }
  if (order.ambiguous.length > 0) {
    await tx.projectSync.updateMany({ where: { id: { in: order.ambiguous } }, data: { verifyHead: true } });
  }
  return insertQueued(tx, { ...data, verifyHead: order.verify }, order.ambiguous);
}

/**
 * The new sync, queued in place of the branch's older queued syncs (all but `keep`), which are cancelled as
 * superseded by it. A full resync asked for earlier is not lost by being coalesced into a newer request.
 */
async function insertQueued(tx: Tx, data: SyncData, keep: readonly string[] = []): Promise<EnqueueResult> {
  const sync = await tx.projectSync.create({ data });
  const superseded = await supersedeQueuedSyncs(tx, {
    sync,
    keep,
    now: data.createdAt,
    error: supersededMessage(sync),
  });
  if (!sync.full && superseded.some((older) => older.trigger !== "restore" && older.full)) {
    const full = await tx.projectSync.update({ where: { id: sync.id }, data: { full: true } });
    return { sync: full, created: true, superseded };
  }
  return { sync, created: true, superseded };
}

/**
 * A push recorded for the branch whose `before` is this sync's head: the branch has moved on from it, and syncing it
 * now would take memory back. A branch pushed back to an earlier head (A→B, B→X, X→B) is not stale: its own `before`
 * (or, for a sync asked for by hand, its head) is a head recorded after that push.
 */
async function findLaterPush(
  tx: Tx,
  push: { repositoryId: string; branch: string; headSha: string; pushBefore: string | null },
): Promise<{ id: string } | null> {
  // A push continues from its `before`; a sync asked for by hand (comment, API, reconcile) names the head it found.
  // Either is current when the branch was seen at that commit again after the later push was recorded.
  const [later] = await tx.$queryRaw<{ id: string }[]>`
    SELECT later.id::text AS id FROM (
      SELECT id, "createdAt" FROM "ProjectSync"
      WHERE "repositoryId" = ${push.repositoryId}::uuid AND branch = ${push.branch} AND "pushBefore" = ${push.headSha}
      ORDER BY "createdAt" DESC LIMIT 1
    ) AS later
    WHERE NOT EXISTS (
      SELECT 1 FROM "ProjectSync"
      WHERE "repositoryId" = ${push.repositoryId}::uuid AND branch = ${push.branch}
        AND "headSha" = ${push.pushBefore ?? push.headSha} AND "createdAt" >= later."createdAt"
    )`;
  return later ?? null;
}
