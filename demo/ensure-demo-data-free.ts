import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * Refuses to start when another demo's PostgreSQL still runs on `dir` (its postmaster.pid names a live process);
 * otherwise empties `dir` unless `keep`, so every demo starts from an empty database.
 */
export async function ensureDemoDataFree(dir: string, options: { keep: boolean }): Promise<void> {
  const pidFile = await readFile(join(dir, "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(pidFile?.split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(`Another demo's PostgreSQL (pid ${pid}) is using ${dir}: stop that demo (Ctrl-C) first.`);
  }
  if (!options.keep) await rm(dir, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the embedded PostgreSQL runs as "postgres" under root)
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
