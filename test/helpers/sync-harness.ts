import type { Repository } from "../../src/generated/prisma/client.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { silentLogger } from "../../src/logger.js";
import { readAllMemoryEntries } from "../../src/memory/read-memory-entries.js";
import { executeSync } from "../../src/service/execute-sync.js";
import { requestInlineSync } from "../../src/service/request-inline-sync.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { SyncEvent } from "../../src/sync/sync-event.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import type { FakeCommit, FakeGitHubRepo } from "./fake-github-repo.js";
import type { TestDatabase } from "./test-database.js";

export function serviceDeps(database: TestDatabase, overrides: Partial<ServiceDeps> = {}): ServiceDeps {
  // Not nock-github's testOctokit: importing nock patches fetch, and this harness also serves simulator tests.
  const octokit = createOctokit({ auth: "ghs_test", retry: false, throttle: false });
  return {
    db: database.db,
    githubFor: async () => octokit,
    now: () => new Date(),
    log: silentLogger,
    maxFileSizeBytes: 1024 * 1024,
    ...overrides,
  };
}

/** Service deps whose GitHub is the simulator at `apiUrl` (GHE-style base URL). */
export function simulatorDeps(database: TestDatabase, apiUrl: string): ServiceDeps {
  const octokit = createOctokit({
    auth: "ghs_test",
    baseUrl: apiUrl,
    retry: false,
    throttle: false,
    log: silentLogger,
  });
  return serviceDeps(database, { githubFor: async () => octokit });
}

/** The repository row a test repository gets (what ensureRepository would store), without a GitHub request. */
export async function createRepositoryRow(deps: ServiceDeps, repo: FakeGitHubRepo): Promise<Repository> {
  return deps.db.repository.create({
    data: {
      githubId: BigInt(repo.githubId),
      key: repo.fullName.toLowerCase(),
      owner: repo.owner,
      name: repo.name,
      defaultBranch: repo.defaultBranch,
    },
  });
}

export type PushResult = { sync: SyncView; events: SyncEvent[] };

/** What a push does: a sync of `branch` at the commit, run to its end. */
export async function syncCommit(
  deps: ServiceDeps,
  options: { repository: Repository; commit: FakeCommit; branch?: string; full?: boolean },
): Promise<PushResult> {
  const queued = await requestInlineSync(deps, {
    repository: options.repository,
    branch: options.branch,
    headSha: options.commit.sha,
    full: options.full,
    trigger: "push",
  });
  const events: SyncEvent[] = [];
  const sync = await executeSync(deps, { syncId: queued.id, onEvent: (event) => events.push(event) });
  return { sync, events };
}

/** A branch's current memory as path → "mode sha", for comparing with a commit's tree. */
export async function memoryOf(deps: ServiceDeps, repository: Repository, branch?: string) {
  const memory: Record<string, string> = {};
  for await (const page of readAllMemoryEntries(deps.db, {
    repositoryId: repository.id,
    branch: branch ?? repository.defaultBranch,
  })) {
    for (const entry of page) memory[entry.path] = `${entry.mode} ${entry.blobSha}`;
  }
  return memory;
}

/** A commit's tree in the same form as memoryOf. */
export function treeOf(commit: FakeCommit): Record<string, string> {
  return Object.fromEntries(commit.entries.map((entry) => [entry.path, `${entry.mode} ${entry.sha}`]));
}
