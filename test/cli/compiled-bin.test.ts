import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
// the child processes run plain Node, not Jest's VM modules
const { NODE_OPTIONS: _ignored, ...baseEnv } = process.env;

type Result = { code: number; stdout: string; stderr: string };

async function spawnCli(file: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<Result> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, maxBuffer: 1 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

// The installed bin as a fresh clone gets it after `npm ci` (whose `prepare` compiles dist/), built here into a
// folder of its own: the worktree's dist/ may be missing or stale, and the bin would then silently run the source.
describe("the compiled project-sync bin", () => {
  let dir: string;
  let bin: string;
  let database: TestDatabase;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "project-sync-bin-"));
    await run(
      path.join(root, "node_modules", ".bin", "tsc"),
      ["-p", "tsconfig.build.json", "--outDir", path.join(dir, "dist")],
      {
        cwd: root,
        env: baseEnv,
      },
    );
    await mkdir(path.join(dir, "bin"));
    await cp(path.join(root, "bin", "project-sync.js"), path.join(dir, "bin", "project-sync.js"));
    await cp(path.join(root, "package.json"), path.join(dir, "package.json"));
    await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    await symlink(path.join(root, "prisma"), path.join(dir, "prisma"));
    bin = path.join(dir, "bin", "project-sync.js");
    database = await createTestDatabase();
  }, 240_000);

  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("prints exactly what `npm run cli -- --help` prints, and nothing on stderr", async () => {
    const compiled = await spawnCli(process.execPath, [bin, "--help"], baseEnv);
    const source = await spawnCli("npm", ["run", "--silent", "cli", "--", "--help"], baseEnv);

    expect(compiled).toEqual({ code: 0, stdout: source.stdout, stderr: "" });
    expect(source.code).toBe(0);
    expect(compiled.stdout).toMatch(/^Usage: project-sync <command> \[options\]\n/);
  }, 120_000);

  it("runs a command whose module it loads on demand: status of a sync, against DATABASE_URL", async () => {
    const repository = await database.db.repository.create({
      data: { key: "octo/bin", owner: "octo", name: "bin", defaultBranch: "main" },
    });
    const sync = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "manual", status: "succeeded", added: 3 },
    });

    const result = await spawnCli(process.execPath, [bin, "status", sync.id, "--json"], {
      ...baseEnv,
      DATABASE_URL: database.url,
    });

    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toMatchObject({
      id: sync.id,
      repository: "octo/bin",
      branch: "main",
      status: "succeeded",
    });
  }, 120_000);

  it("reports a missing sync as the source does: exit 1, the error on stderr", async () => {
    const env = { ...baseEnv, DATABASE_URL: database.url };
    const missing = "00000000-0000-4000-8000-000000000000";

    const compiled = await spawnCli(process.execPath, [bin, "status", missing], env);
    const source = await spawnCli("npm", ["run", "--silent", "cli", "--", "status", missing], env);

    expect(compiled).toEqual(source);
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toContain(`No sync with id ${missing}`);
  }, 120_000);
});
