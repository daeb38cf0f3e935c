-- Deliveries of one branch arrive in any order: a push sync keeps GitHub's time of the push (`repository.pushed_at`,
-- seconds) to order it among the others, and a sync whose order could not be told checks the branch head on GitHub
-- when it runs (`verifyHead`).
ALTER TABLE "ProjectSync" ADD COLUMN "pushedAt" TIMESTAMP(3),
ADD COLUMN "verifyHead" BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX "ProjectSync_repositoryId_branch_pushedAt_idx" ON "ProjectSync"("repositoryId", "branch", "pushedAt");
