-- Reads of current memory are served by the partial unique index "MemoryEntry_one_active_path"
-- (repositoryId, branch, path) WHERE status = 'active'; this index only slowed every entry insert.
DROP INDEX "MemoryEntry_repositoryId_branch_status_path_idx";
