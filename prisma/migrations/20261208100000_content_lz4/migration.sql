-- File content is TOASTed with lz4 where the server is built with it (Debian's and most distributions' PostgreSQL
-- are; the embedded PostgreSQL from npm is not, and keeps the default pglz). Measured on this project's 2-core machine
-- (bench/measure-content-writes.ts): lz4 compresses code-like text several times faster than pglz, which is most of
-- PostgreSQL's work in a first sync. Only values written from now on use it; existing rows stay readable as they are.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "RepositoryFile" ALTER COLUMN content SET COMPRESSION lz4;
  END IF;
END $$;
