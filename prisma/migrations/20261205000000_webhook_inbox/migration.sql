-- Webhook intake that never loses a push: deliveries are stored before they are answered (the inbox) and processed
-- after, by any process; leases for work done once across processes (redelivery of failed deliveries); GitHub write
-- budgets per installation (secondary rate limits); the process that runs a sync (its liveness is an advisory lock).
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'processing', 'processed', 'parked');

CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "installationId" BIGINT,
    "repositoryGithubId" BIGINT,
    "payload" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "runAfter" TIMESTAMPTZ(3) NOT NULL,
    "claimedBy" INTEGER,
    "processedAt" TIMESTAMPTZ(3),
    "errorCode" TEXT,
    "error" TEXT,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- The processors' claim reads only deliveries still to do, oldest first; processed rows pile up until pruned.
CREATE INDEX "WebhookDelivery_todo" ON "WebhookDelivery"("receivedAt", "id") WHERE "status" IN ('pending', 'processing');
CREATE INDEX "WebhookDelivery_status_receivedAt_idx" ON "WebhookDelivery"("status", "receivedAt");

CREATE TABLE "AppLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "state" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppLease_pkey" PRIMARY KEY ("name")
);

-- One row per content-creating GitHub request of the last hour, per installation: GitHub's secondary limits are counts
-- in a sliding window, so the budget counts the same way.
CREATE TABLE "GitHubWrite" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GitHubWrite_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "GitHubWrite_key_at_idx" ON "GitHubWrite"("key", "at");

ALTER TABLE "ProjectSync" ADD COLUMN "workerKey" INTEGER,
ADD COLUMN "checkRunRetryAt" TIMESTAMP(3),
ADD COLUMN "checkRunAdopt" BOOLEAN NOT NULL DEFAULT false;

-- Recording a push looks up the branch's syncs by `pushBefore` (is this delivery late?) and by `headSha`: without
-- these, each lookup reads the branch's whole history.
CREATE INDEX "ProjectSync_repositoryId_branch_pushBefore_idx" ON "ProjectSync"("repositoryId", "branch", "pushBefore");
CREATE INDEX "ProjectSync_repositoryId_branch_headSha_idx" ON "ProjectSync"("repositoryId", "branch", "headSha");
