import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach } from "@jest/globals";
import { Probot, ProbotOctokit } from "probot";
import { createProjectSyncApp } from "../../src/app/create-project-sync-app.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { createTaskTracker, type TaskTracker } from "../../src/handlers/create-task-tracker.js";
import type { ProjectSyncAppDeps } from "../../src/handlers/project-sync-app-deps.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { NockGitHub } from "../helpers/nock-github.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

export const APP_ID = 777;
export const INSTALLATION_ID = 4242;
export const REPO_GITHUB_ID = 1296269;
/** `.github/project-sync.yml` of the fixtures' repository, as Octokit encodes the path */
export const CONFIG_PATH = "/repos/octo-org/hello-world/contents/.github%2Fproject-sync.yml";
export const ORG_CONFIG_PATH = "/repos/octo-org/.github/contents/.github%2Fproject-sync.yml";
export const RAW = { "content-type": "application/vnd.github.raw; charset=utf-8" };
export const NOT_FOUND = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };

const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;

/** What the reporter and the worker were told, in order: `enqueued:<id>`, `settled:<id>`, `forget:<id>`, `wake`. */
export type Calls = string[];

export type ProjectSyncAppHarness = {
  database: TestDatabase;
  service: ServiceDeps;
  deps: ProjectSyncAppDeps;
  calls: Calls;
  probot: Probot;
  tasks: TaskTracker;
  /** delivers a webhook through Probot, then waits for the background tasks it started */
  receive: (name: string, payload: unknown, id?: string) => Promise<void>;
};

/** A webhook payload from test/fixtures/webhooks/, parsed fresh so a test can change it. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are GitHub's payloads, shaped by each test
export function webhookFixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}`, import.meta.url), "utf8"));
}

/** Probot's Octokit without retries or throttling, so nock pins every request. */
export const TestProbotOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** A Probot for the app, as the tests and the signed-delivery test build it. */
export function createTestProbot(options: { secret?: string } = {}): Probot {
  return new Probot({
    appId: APP_ID,
    privateKey: PRIVATE_KEY,
    secret: options.secret ?? "test-secret",
    logLevel: "fatal",
    Octokit: TestProbotOctokit,
  });
}

/**
 * The app function wired to a real database, a recording reporter and worker, and a fresh Probot per test (Probot
 * caches installation tokens, so each test sees its own token request). Call at the top of a describe.
 */
export function useProjectSyncApp(assign: (harness: ProjectSyncAppHarness) => void): void {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  let tasks: TaskTracker | undefined;
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    const calls: Calls = [];
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const service: ServiceDeps = {
      db: database.db,
      githubFor: async () => null,
      now: () => new Date(),
      log,
      maxFileSizeBytes: 1024 * 1024,
    };
    tasks = createTaskTracker(log);
    const deps: ProjectSyncAppDeps = {
      service,
      reporter: {
        enqueued: (id) => calls.push(`enqueued:${id}`),
        settled: (id) => calls.push(`settled:${id}`),
        forget: (id) => calls.push(`forget:${id}`),
      },
      worker: { wake: () => calls.push("wake") },
      appId: APP_ID,
      tasks,
    };
    const probot = createTestProbot();
    await probot.load(createProjectSyncApp(deps), { cwd: process.cwd(), addHandler: () => {} });
    let deliveries = 0;
    const taskTracker = tasks;
    assign({
      database,
      service,
      deps,
      calls,
      probot,
      tasks,
      receive: async (name, payload, id) => {
        deliveries += 1;
        // biome-ignore lint/suspicious/noExplicitAny: any event name and payload, as GitHub would send them
        await probot.receive({ id: id ?? `delivery-${deliveries}`, name, payload } as any);
        await taskTracker.drain();
      },
    });
  });
  afterEach(async () => {
    await tasks?.drain();
  });
}

/** nock: the installation token Probot asks for before the first API request of a delivery. */
export function mockInstallationToken(github: NockGitHub): void {
  github
    .api()
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: "ghs_installation", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
}

/** The fixtures' repository as the app stores it, with a config already read (so a push costs no request). */
export async function createInstalledRepository(
  database: TestDatabase,
  overrides: Partial<Pick<Repository, "configError" | "configDigest" | "configLoadedAt">> & {
    config?: object | null;
  } = {},
): Promise<Repository> {
  const { config, ...rest } = overrides;
  return database.db.repository.create({
    data: {
      githubId: BigInt(REPO_GITHUB_ID),
      key: "octo-org/hello-world",
      owner: "octo-org",
      name: "hello-world",
      defaultBranch: "main",
      installationId: BigInt(INSTALLATION_ID),
      configLoadedAt: new Date("2026-11-25T09:00:00Z"),
      ...(config ? { config } : {}),
      ...rest,
    },
  });
}
