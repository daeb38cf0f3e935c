-- A lease names the presence key of the process holding it (its session advisory lock): a lease whose process was
-- killed is taken at once, instead of keeping every other process out until it runs out.
ALTER TABLE "AppLease" ADD COLUMN "holderKey" INTEGER;
