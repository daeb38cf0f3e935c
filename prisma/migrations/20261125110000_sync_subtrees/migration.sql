-- AlterTable: the subtrees a truncated tree's walk reached, so the next sync re-lists only the changed ones.
ALTER TABLE "ProjectSync" ADD COLUMN "subtrees" JSONB;
