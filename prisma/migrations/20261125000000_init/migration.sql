-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "FileKind" AS ENUM ('blob', 'submodule');

-- CreateEnum
CREATE TYPE "OmitReason" AS ENUM ('binary', 'too_large', 'submodule');

-- CreateEnum
CREATE TYPE "EntryStatus" AS ENUM ('active', 'superseded');

-- CreateEnum
CREATE TYPE "SyncStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "SyncPhase" AS ENUM ('resolve', 'diff', 'fetch', 'finalize');

-- CreateEnum
CREATE TYPE "SyncTrigger" AS ENUM ('push', 'comment', 'manual', 'rerequest', 'install', 'reconcile', 'restore');

-- CreateTable
CREATE TABLE "Repository" (
    "id" UUID NOT NULL,
    "githubId" BIGINT,
    "key" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultBranch" TEXT NOT NULL,
    "installationId" BIGINT,
    "isPrivate" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepositoryFile" (
    "repositoryId" UUID NOT NULL,
    "sha" TEXT NOT NULL,
    "kind" "FileKind" NOT NULL,
    "size" INTEGER NOT NULL,
    "isBinary" BOOLEAN NOT NULL,
    "content" TEXT,
    "omitted" "OmitReason",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RepositoryFile_pkey" PRIMARY KEY ("repositoryId","sha")
);

-- CreateTable
CREATE TABLE "MemoryEntry" (
    "id" BIGSERIAL NOT NULL,
    "repositoryId" UUID NOT NULL,
    "branch" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "blobSha" TEXT NOT NULL,
    "status" "EntryStatus" NOT NULL DEFAULT 'active',
    "syncId" UUID NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "supersededBySyncId" UUID,
    "validTo" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "supersededAt" TIMESTAMP(3),

    CONSTRAINT "MemoryEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectSync" (
    "id" UUID NOT NULL,
    "repositoryId" UUID NOT NULL,
    "branch" TEXT NOT NULL,
    "status" "SyncStatus" NOT NULL DEFAULT 'queued',
    "phase" "SyncPhase",
    "trigger" "SyncTrigger" NOT NULL,
    "full" BOOLEAN NOT NULL DEFAULT false,
    "headSha" TEXT,
    "headTreeSha" TEXT,
    "baseSha" TEXT,
    "baseSyncId" UUID,
    "previousSyncId" UUID,
    "restoredFromSyncId" UUID,
    "generation" INTEGER,
    "added" INTEGER NOT NULL DEFAULT 0,
    "modified" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "renamed" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "filesFetched" INTEGER NOT NULL DEFAULT 0,
    "bytesFetched" BIGINT NOT NULL DEFAULT 0,
    "githubRequests" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "errorCode" TEXT,
    "deliveryId" TEXT,
    "checkRunId" BIGINT,
    "requestedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectSyncEvent" (
    "id" BIGSERIAL NOT NULL,
    "syncId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectSyncEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Repository_githubId_key" ON "Repository"("githubId");

-- CreateIndex
CREATE UNIQUE INDEX "Repository_key_key" ON "Repository"("key");

-- CreateIndex
CREATE INDEX "MemoryEntry_repositoryId_branch_status_path_idx" ON "MemoryEntry"("repositoryId", "branch", "status", "path");

-- CreateIndex
CREATE INDEX "MemoryEntry_repositoryId_branch_validFrom_idx" ON "MemoryEntry"("repositoryId", "branch", "validFrom");

-- CreateIndex
CREATE INDEX "MemoryEntry_syncId_idx" ON "MemoryEntry"("syncId");

-- CreateIndex
CREATE INDEX "MemoryEntry_supersededBySyncId_idx" ON "MemoryEntry"("supersededBySyncId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectSync_previousSyncId_key" ON "ProjectSync"("previousSyncId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectSync_deliveryId_key" ON "ProjectSync"("deliveryId");

-- CreateIndex
CREATE INDEX "ProjectSync_repositoryId_branch_createdAt_idx" ON "ProjectSync"("repositoryId", "branch", "createdAt");

-- CreateIndex
CREATE INDEX "ProjectSync_repositoryId_branch_status_generation_idx" ON "ProjectSync"("repositoryId", "branch", "status", "generation");

-- CreateIndex
CREATE INDEX "ProjectSync_status_createdAt_idx" ON "ProjectSync"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ProjectSyncEvent_syncId_id_idx" ON "ProjectSyncEvent"("syncId", "id");

-- AddForeignKey
ALTER TABLE "RepositoryFile" ADD CONSTRAINT "RepositoryFile_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoryEntry" ADD CONSTRAINT "MemoryEntry_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoryEntry" ADD CONSTRAINT "MemoryEntry_repositoryId_blobSha_fkey" FOREIGN KEY ("repositoryId", "blobSha") REFERENCES "RepositoryFile"("repositoryId", "sha") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoryEntry" ADD CONSTRAINT "MemoryEntry_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "ProjectSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoryEntry" ADD CONSTRAINT "MemoryEntry_supersededBySyncId_fkey" FOREIGN KEY ("supersededBySyncId") REFERENCES "ProjectSync"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSync" ADD CONSTRAINT "ProjectSync_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSync" ADD CONSTRAINT "ProjectSync_previousSyncId_fkey" FOREIGN KEY ("previousSyncId") REFERENCES "ProjectSync"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSync" ADD CONSTRAINT "ProjectSync_baseSyncId_fkey" FOREIGN KEY ("baseSyncId") REFERENCES "ProjectSync"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSync" ADD CONSTRAINT "ProjectSync_restoredFromSyncId_fkey" FOREIGN KEY ("restoredFromSyncId") REFERENCES "ProjectSync"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSyncEvent" ADD CONSTRAINT "ProjectSyncEvent_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "ProjectSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Invariants the Prisma schema language cannot express (partial unique indexes).
-- One active entry per path of a branch: a sync can never leave two versions of a file active.
CREATE UNIQUE INDEX "MemoryEntry_one_active_path" ON "MemoryEntry"("repositoryId", "branch", "path") WHERE "status" = 'active';

-- One running sync per branch, whatever process runs it.
CREATE UNIQUE INDEX "ProjectSync_one_running_branch" ON "ProjectSync"("repositoryId", "branch") WHERE "status" = 'running';
