import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { runCli } from "../../src/cli/run-cli.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { createRepositoryRow, serviceDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

/** stdout or stderr of one CLI run, kept in memory. */
class Capture {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

describe("project-sync purge", () => {
  useNockGitHub();
  let database: TestDatabase;
  let repository: Repository;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    const deps = serviceDeps(database);
    const repo = new FakeGitHubRepo();
    repository = await createRepositoryRow(deps, repo);
    const commit = repo.commit({ "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    repo.expectTree(commit);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit });
  });

  async function cli(argv: string[]) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(argv, {
      env: {},
      stdout,
      stderr,
      deps: {
        githubFor: async () => null,
        connect: async () => ({ db: database.db, close: async () => {} }),
      },
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  const uninstall = () =>
    database.db.repository.update({ where: { id: repository.id }, data: { active: false } });

  it("without --yes: a usage error that says what would be deleted, and nothing is", async () => {
    const run = await cli(["purge", "octo-org/hello-world"]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "error: purge deletes the memory and history of octo-org/hello-world: 1 sync, 3 memory entries, 3 stored files. Run it again with --yes and --force (the GitHub App is still installed on it) to delete them.",
    );
    expect(await database.db.repository.count()).toBe(1);
  });

  it("without --yes, --json: the error document on stdout, exit 2", async () => {
    await uninstall();

    const run = await cli(["purge", "octo-org/hello-world", "--json"]);

    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: "BAD_INPUT",
        message:
          "purge deletes the memory and history of octo-org/hello-world: 1 sync, 3 memory entries, 3 stored files. Run it again with --yes to delete them.",
      },
    });
  });

  it("--yes on an installed repository is refused (exit 1); --force deletes it", async () => {
    const refused = await cli(["purge", "octo-org/hello-world", "--yes"]);
    const forced = await cli(["purge", "octo-org/hello-world", "--yes", "--force"]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is still installed");
    expect(forced).toEqual({
      code: 0,
      stdout: "Purged octo-org/hello-world: 1 sync, 3 memory entries, 3 stored files deleted.\n",
      stderr: "",
    });
    expect(await database.db.repository.count()).toBe(0);
  });

  it("--yes --json prints what was deleted", async () => {
    await uninstall();

    const run = await cli(["purge", "octo-org/hello-world", "--yes", "--json"]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      repository: "octo-org/hello-world",
      deleted: { syncs: 1, entries: 3, files: 3 },
    });
  });

  it("an unknown repository exits 1; --yes on another command is a usage error", async () => {
    const unknown = await cli(["purge", "octo-org/nope", "--yes"]);
    const stray = await cli(["history", "octo-org/hello-world", "--yes"]);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("octo-org/nope has never been synced");
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("history does not take --yes.");
  });
});
