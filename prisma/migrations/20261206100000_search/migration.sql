-- Search over memory. Each stored blob's text is indexed once for trigram search (pg_trgm, GIN), but not in the
-- sync's transaction: the GIN index covers the rows marked `searchIndexed`, and a background indexer marks new blobs in
-- batches after their sync committed (a first sync of 100,000 files took 2× as long with the index maintained inline).
-- Search reads the rest (the backlog, through its own small index) by scanning, so it is complete at any moment, and
-- a sync records when everything it holds became indexed (`searchableAt`).
-- Where pg_trgm cannot be created (a managed PostgreSQL without it, no privilege), search scans; it says so.
ALTER TABLE "RepositoryFile" ADD COLUMN "searchIndexed" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "ProjectSync" ADD COLUMN "searchableAt" TIMESTAMP(3);

CREATE INDEX "RepositoryFile_search_backlog" ON "RepositoryFile" ("repositoryId", sha)
  WHERE NOT "searchIndexed" AND content IS NOT NULL;
CREATE INDEX "ProjectSync_search_pending" ON "ProjectSync" ("repositoryId")
  WHERE status = 'succeeded' AND "searchableAt" IS NULL;
-- what a search could not read (binary, too large, submodule), counted per search from this small set
CREATE INDEX "RepositoryFile_no_text" ON "RepositoryFile" ("repositoryId", sha) WHERE content IS NULL;
-- search joins a matching blob to the paths that hold it
CREATE INDEX "MemoryEntry_repositoryId_blobSha_idx" ON "MemoryEntry" ("repositoryId", "blobSha");

-- pg_trgm indexes the text; btree_gin lets the same GIN index hold the repository and the SHA, so that a search reads
-- the candidates of one repository and one SHA range only (it pages by SHA) instead of rechecking every candidate.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm cannot be created (%): search will scan without an index', SQLERRM;
END $$;

DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS btree_gin;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'btree_gin cannot be created (%): the search index holds the text only', SQLERRM;
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
      CREATE INDEX "RepositoryFile_content_trgm" ON "RepositoryFile"
        USING gin ("repositoryId", sha, content gin_trgm_ops) WHERE "searchIndexed";
    ELSE
      CREATE INDEX "RepositoryFile_content_trgm" ON "RepositoryFile" USING gin (content gin_trgm_ops)
        WHERE "searchIndexed";
    END IF;
  END IF;
END $$;
