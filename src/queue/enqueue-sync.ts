import { z } from "zod";
import { AppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";
import type { Prisma, ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncTrigger } from "../generated/prisma/enums.js";
import { gitShaSchema } from "../github/git-sha-schema.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { isValidBranchName } from "../service/start-sync.js";
import { isUniqueViolation } from "../sync/claim-sync.js";
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
};

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
 * Records a request to sync a branch in the durable queue (one transaction under the branch's queue lock):
 * a redelivered webhook returns the sync it queued; a push older than one already recorded is recorded cancelled;
 * otherwise the new sync is queued and replaces every older queued sync of the branch (a burst of pushes becomes one
 * sync at the newest head). A running sync is never touched: the new one runs after it.
 * @example await enqueueSync(deps, { repository, branch: "main", headSha: after, pushBefore: before, trigger: "push" })
 */
export async function enqueueSync(
  deps: Pick<ServiceDeps, "db" | "now" | "log">,
  options: EnqueueSyncOptions,
): Promise<EnqueueResult> {
  const input = parseInput(options);
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
      if (!state?.active) {
        throw new AppError(
          "CONFLICT",
          `${options.repository.owner}/${options.repository.name} is not installed (the app was uninstalled); install the app on it again to sync it.`,
        );
      }
      return insertSync(tx, deps.now(), options, input);
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

function parseInput(options: EnqueueSyncOptions): Input {
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

async function insertSync(
  tx: Tx,
  now: Date,
  options: EnqueueSyncOptions,
  input: Input,
): Promise<EnqueueResult> {
  const repositoryId = options.repository.id;
  const data = {
    repositoryId,
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
    createdAt: now,
  };
  if (options.failWith) {
    const sync = await tx.projectSync.create({
      data: {
        ...data,
        status: "failed",
        errorCode: options.failWith.code,
        error: options.failWith.message,
        finishedAt: now,
      },
    });
    return { sync, created: true, superseded: [] };
  }

  if (options.observedAt) {
    const [newer] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "ProjectSync"
      WHERE "repositoryId" = ${repositoryId}::uuid AND branch = ${input.branch} AND "createdAt" > ${options.observedAt}
      ORDER BY "createdAt" DESC LIMIT 1`;
    if (newer) {
      const sync = await tx.projectSync.create({
        data: {
          ...data,
          checkRunState: null,
          status: "cancelled",
          errorCode: "SUPERSEDED",
          error: `The branch was read from GitHub at ${options.observedAt.toISOString()}, and sync ${newer.id} was asked for since; nothing to do.`,
          supersededById: newer.id,
          finishedAt: now,
        },
      });
      return { sync, created: true, superseded: [] };
    }
  }

  if (options.trigger === "push" && input.pushBefore) {
    return insertPush(tx, now, data, {
      repositoryId,
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
    const sync = await tx.projectSync.create({
      data: {
        ...data,
        // the pull request shows the newer head's check run; a commit the branch already left needs none
        checkRunState: null,
        status: "cancelled",
        errorCode: "SUPERSEDED",
        error: `This push arrived after a later one was recorded (sync ${later.id} ${
          options.deletesBranch ? "created the branch again" : `from ${pushedHead?.slice(0, 7)}`
        }); nothing to do.`,
        supersededById: later.id,
        finishedAt: now,
      },
    });
    return { sync, created: true, superseded: [] };
  }

  const sync = await tx.projectSync.create({ data });
  const superseded = await supersedeOlder(tx, { sync, now });
  // a full resync asked for earlier is not lost by being coalesced into a newer request
  if (!sync.full && superseded.some((older) => older.trigger !== "restore" && older.full)) {
    const full = await tx.projectSync.update({ where: { id: sync.id }, data: { full: true } });
    return { sync: full, created: true, superseded };
  }
  return { sync, created: true, superseded };
}

type SyncData = Prisma.ProjectSyncUncheckedCreateInput & { repositoryId: string; branch: string };

/**
 * A push, placed among the branch's recorded requests whatever order its delivery arrived in (see orderPush): stale
 * when a newer one was recorded; otherwise queued, superseding the queued syncs known to be older and keeping (with a
 * head check when they run) those whose order cannot be told.
 */
async function insertPush(tx: Tx, now: Date, data: SyncData, push: IncomingPush): Promise<EnqueueResult> {
  const order = await orderPush(tx, push);
  if (order.newer) {
    const sync = await tx.projectSync.create({
      data: {
        ...data,
        // the pull request shows the newer head's check run; a commit the branch already left needs none
        checkRunState: null,
        status: "cancelled",
        errorCode: "SUPERSEDED",
        error: `This push arrived after ${order.newer.why} (sync ${order.newer.id}); nothing to do.`,
        supersededById: order.newer.id,
        finishedAt: now,
      },
    });
    return { sync, created: true, superseded: [] };
  }
  const sync = await tx.projectSync.create({ data: { ...data, verifyHead: order.verify } });
  if (order.ambiguous.length > 0) {
    await tx.projectSync.updateMany({ where: { id: { in: order.ambiguous } }, data: { verifyHead: true } });
  }
  const superseded = await supersedeOlder(tx, { sync, now, keep: order.ambiguous });
  if (!sync.full && superseded.some((older) => older.trigger !== "restore" && older.full)) {
    const full = await tx.projectSync.update({ where: { id: sync.id }, data: { full: true } });
    return { sync: full, created: true, superseded };
  }
  return { sync, created: true, superseded };
}

/**
 * Cancels the queued syncs of the branch older than `sync` as superseded by it, in one statement, and returns them.
 * One whose check run was not created yet needs none (the newer one's shows on the pull request); one already on
 * GitHub (or being created) is completed `neutral` by the reporter.
 */
async function supersedeOlder(
  tx: Tx,
  options: { sync: ProjectSync; now: Date; keep?: readonly string[] },
): Promise<ProjectSync[]> {
  const { sync, now } = options;
  const keep = [...(options.keep ?? [])];
  const message = supersededMessage(sync);
  const rows = await tx.$queryRaw<ProjectSync[]>`
    UPDATE "ProjectSync"
    SET status = 'cancelled', "errorCode" = 'SUPERSEDED', error = ${message}, "supersededById" = ${sync.id}::uuid,
      "finishedAt" = ${now},
      "checkRunState" = CASE WHEN "checkRunState" = 'pending' THEN NULL ELSE "checkRunState" END,
      "checkRunRetryAt" = CASE WHEN "checkRunState" = 'pending' THEN NULL ELSE "checkRunRetryAt" END,
      "updatedAt" = ${now}
    WHERE "repositoryId" = ${sync.repositoryId}::uuid AND branch = ${sync.branch} AND status = 'queued'
      AND NOT inline AND id <> ${sync.id}::uuid AND NOT (id::text = ANY(${keep}::text[]))
    RETURNING *`;
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
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
