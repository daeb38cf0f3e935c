-- GitHub App: repository config, check runs, comment reactions, the durable queue (retries, coalescing, inline runs).
CREATE TYPE "CheckRunState" AS ENUM ('pending', 'creating', 'open', 'completed', 'skipped');

ALTER TABLE "Repository" ADD COLUMN "deactivatedAt" TIMESTAMP(3),
ADD COLUMN "config" JSONB,
ADD COLUMN "configError" TEXT,
ADD COLUMN "configDigest" TEXT,
ADD COLUMN "configLoadedAt" TIMESTAMP(3);

ALTER TABLE "ProjectSync" ADD COLUMN "commentId" BIGINT,
ADD COLUMN "commentReactedAt" TIMESTAMP(3),
ADD COLUMN "checkRunState" "CheckRunState",
ADD COLUMN "checkRunAt" TIMESTAMP(3),
ADD COLUMN "pushBefore" TEXT,
ADD COLUMN "deletesBranch" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "configDigest" TEXT,
ADD COLUMN "inline" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "retryOfSyncId" UUID,
ADD COLUMN "runAfter" TIMESTAMP(3),
ADD COLUMN "supersededById" UUID;

CREATE INDEX "ProjectSync_supersededById_idx" ON "ProjectSync"("supersededById");
CREATE INDEX "ProjectSync_checkRunState_checkRunAt_idx" ON "ProjectSync"("checkRunState", "checkRunAt");
