import { afterAll, beforeAll, beforeEach } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { FakeGitHubRepo } from "./fake-github-repo.js";
import { createRepositoryRow, serviceDeps } from "./sync-harness.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

export type SyncRepositoryState = {
  database: TestDatabase;
  deps: ServiceDeps;
  repo: FakeGitHubRepo;
  repository: Repository;
};

/**
 * Registers the hooks every sync test file needs: a database of its own for the file, and before each test fresh
 * service deps, an empty memory and a new fake repository with its row. `assign` hands them to the test file.
 */
export function useSyncRepository(assign: (state: SyncRepositoryState) => void): void {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    const deps = serviceDeps(database);
    await deps.db.repository.deleteMany();
    const repo = new FakeGitHubRepo();
    assign({ database, deps, repo, repository: await createRepositoryRow(deps, repo) });
  });
}
