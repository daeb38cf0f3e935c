import { beforeAll, expect } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeCommit } from "../helpers/fake-github-repo.js";
import { simulatorDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, type SimulatorFixture } from "../sim/use-simulator.js";

/** A database of the file's own with the simulator's octo/big in it, and `sync` to push a commit and sync it. */
export type SyncedSimulator = {
  database: TestDatabase;
  deps: ServiceDeps;
  repository: Repository;
  /** moves the simulator's branch to `head` and syncs it to the end (succeeded) */
  sync: (head: string, branch?: string) => Promise<{ id: string; head: string }>;
};

/**
 * Call after useSimulator: registers the hook that creates the database and the repository row. The test file drops
 * the database in its own afterAll, after whatever it started on it has stopped.
 */
export function useSyncedSimulator(sim: SimulatorFixture): SyncedSimulator {
  const state = {} as SyncedSimulator;
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.deps = simulatorDeps(state.database, sim.address.apiUrl);
    state.repository = await ensureRepository(state.deps, `${OWNER}/${NAME}`);
  });
  state.sync = async (head, branch = "main") => {
    sim.sim.setBranch(OWNER, NAME, branch, head);
    const { sync } = await syncCommit(state.deps, {
      repository: state.repository,
      branch,
      commit: { sha: head } as FakeCommit,
    });
    expect(sync.status).toBe("succeeded");
    return { id: sync.id, head };
  };
  return state;
}
