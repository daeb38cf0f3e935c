import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitHubSimulator, type GitHubSimulator } from "../sim/create-github-simulator.js";
import { commitChanges } from "../sim/generate/commit-changes.js";
import { generateRepository } from "../sim/generate-repository.js";
import { type RunningApp, startApp } from "../src/app/start-app.js";
import { loadEnv } from "../src/config/env.js";
import type { Logger } from "../src/logger.js";
import { findPort } from "./find-port.js";

/** A file name that is also HTML: the page must show it as text. */
export const HOSTILE_FILE = "docs/<img src=x onerror=alert(1)>.md";

export type DemoStackOptions = {
  owner?: string;
  name?: string;
  /** files in the generated repository */
  files: number;
  seed?: number;
  /** the simulator's delay per request, so progress is visible */
  latencyMs: number;
  /** the app's port; taken → a free one; 0 → a free one */
  port: number;
  /** a PostgreSQL to use; absent: the embedded one in `postgresDir` */
  databaseUrl?: string;
  /** the embedded PostgreSQL's data folder (when `databaseUrl` is absent) */
  postgresDir?: string;
  /** set: the API needs `Authorization: Bearer <apiToken>` (the page asks for it) */
  apiToken?: string;
  logLevel?: "debug" | "info" | "warn" | "error" | "fatal";
  log: Logger;
  /** more of the app's environment (e.g. WEBHOOK_ALLOW_PRIVATE_TARGETS for a local webhook receiver) */
  env?: Record<string, string>;
};

export type DemoStack = {
  owner: string;
  name: string;
  /** the page, e.g. http://localhost:3000 */
  url: string;
  app: RunningApp;
  sim: GitHubSimulator;
  /** the simulator's REST base URL (`…/api/v3`) */
  simApiUrl: string;
  /** the bare repository the simulator serves (commitChanges writes to it) */
  gitDir: string;
  defaultBranch: string;
  /** the default branch's head when the app started */
  head: string;
  stop: () => Promise<void>;
};

/**
 * The GitHub simulator serving a generated repository (with a file whose name is HTML) and the whole app pointed at
 * it as a GitHub App: APP_ID=1, a fresh private key and webhook secret, PUBLIC_URL = the app's own address, so check
 * runs link to its sync pages. The app's start-up reconcile finds the installation and syncs the default branch.
 * @example const stack = await startDemoStack({ files: 3000, latencyMs: 20, port: 3000, postgresDir, log });
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const owner = options.owner ?? "octo-org";
  const name = options.name ?? "hello-world";
  const dir = await mkdtemp(join(tmpdir(), "project-sync-demo-"));
  let sim: GitHubSimulator | undefined;
  try {
    const generated = await generateRepository({
      dir: join(dir, `${name}.git`),
      files: options.files,
      seed: options.seed ?? 1,
    });
    const head = await commitChanges({
      gitDir: generated.gitDir,
      parent: generated.headSha,
      branch: generated.branch,
      changes: {
        [HOSTILE_FILE]: "# A file whose name is HTML\n\nThe status page shows its name as text.\n",
        "README.md": `# ${name}\n\nA generated repository served by the Project Sync demo.\n`,
      },
      message: "Add a README and a file with a hostile name\n",
    });
    sim = createGitHubSimulator({ latencyMs: options.latencyMs });
    await sim.addRepository({ owner, name, gitDir: generated.gitDir });
    const address = await sim.start();

    const host = "127.0.0.1";
    const port = await findPort(options.port, host);
    const url = `http://${host}:${port}`;
    const secret = randomBytes(24).toString("hex");
    const env = loadEnv({
      APP_ID: "1",
      PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
        type: "pkcs1",
        format: "pem",
      }) as string,
      WEBHOOK_SECRET: secret,
      ...address.ghe,
      PUBLIC_URL: url,
      PORT: String(port),
      HOST: host,
      ...(options.databaseUrl
        ? { DATABASE_URL: options.databaseUrl }
        : {
            EMBEDDED_POSTGRES_DIR: options.postgresDir ?? ".data/demo-postgres",
            EMBEDDED_POSTGRES_PORT: "0",
          }),
      ...(options.apiToken ? { API_TOKEN: options.apiToken } : {}),
      SYNC_CONCURRENCY: "2",
      LOG_LEVEL: options.logLevel ?? "warn",
      NODE_ENV: "development",
      ...options.env,
    });
    const app = await startApp({ env, log: options.log });
    sim.setWebhookTarget({ url: `${app.url}${env.WEBHOOK_PATH}`, secret });
    const started = sim;
    return {
      owner,
      name,
      url,
      app,
      sim: started,
      simApiUrl: address.apiUrl,
      gitDir: generated.gitDir,
      defaultBranch: generated.branch,
      head,
      stop: async () => {
        await app.stop();
        await started.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
