// `project-sync webhooks …` over a real database: add (secret printed once), list, deliveries, redeliver, enable,
// remove, and usage errors that change nothing.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runCli } from "../../src/cli/run-cli.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

class Capture {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

describe("project-sync webhooks", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.repository.create({
      data: { key: "octo/hello", owner: "octo", name: "hello", defaultBranch: "main" },
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(argv, {
      env,
      stdout,
      stderr,
      deps: {
        githubFor: async () => null,
        connect: async () => ({ db: database.db, close: async () => {} }),
      },
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it("adds an endpoint, printing its secret once; list never shows it", async () => {
    const added = await cli(["webhooks", "add", "https://hooks.example.com/x", "--repository", "octo/hello"]);
    const json = await cli(["webhooks", "list", "--json"]);
    const table = await cli(["webhooks", "list"]);

    expect(added.code).toBe(0);
    const secret = /^(whsec_\S+)$/m.exec(added.stdout)?.[1] ?? "";
    expect(secret).toMatch(/^whsec_/);
    expect(json.code).toBe(0);
    const { webhooks } = JSON.parse(json.stdout) as { webhooks: { id: string; repository: string }[] };
    expect(webhooks).toEqual([expect.objectContaining({ repository: "octo/hello" })]);
    expect(json.stdout + table.stdout).not.toContain(secret);
    expect(table.stdout).toContain(webhooks[0]?.id);
    await cli(["webhooks", "remove", webhooks[0]?.id ?? ""]);
  });

  it("refuses private targets unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true", async () => {
    const refused = await cli(["webhooks", "add", "http://127.0.0.1:9/x"]);
    const allowed = await cli(["webhooks", "add", "http://127.0.0.1:9/x", "--json"], {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    });

    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    expect(allowed.code).toBe(0);
    const { id, secret } = JSON.parse(allowed.stdout) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(await database.db.webhookEndpoint.count()).toBe(1);
    await cli(["webhooks", "remove", id]);
  });

  it("lists deliveries, redelivers one, enables a disabled endpoint and removes it", async () => {
    const added = JSON.parse(
      (await cli(["webhooks", "add", "https://hooks.example.com/y", "--json"])).stdout,
    ) as {
      id: string;
    };
    const repository = await database.db.repository.findUniqueOrThrow({ where: { key: "octo/hello" } });
    const sync = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "manual", status: "running" },
    });
    await database.db.projectSync.update({
      where: { id: sync.id },
      data: { status: "failed", error: "boom" },
    });
    await database.db.webhookEndpoint.update({ where: { id: added.id }, data: { disabledAt: new Date() } });

    const deliveries = await cli(["webhooks", "deliveries", added.id, "--json"]);
    const table = await cli(["webhooks", "deliveries", added.id]);
    const { deliveries: list } = JSON.parse(deliveries.stdout) as {
      deliveries: { id: string; type: string }[];
    };
    const redelivered = await cli(["webhooks", "redeliver", added.id, list[0]?.id ?? ""]);
    const listed = await cli(["webhooks", "list"]);
    const enabled = await cli(["webhooks", "enable", added.id, "--json"]);
    const removed = await cli(["webhooks", "remove", added.id]);

    expect(list).toEqual([expect.objectContaining({ type: "sync.failed" })]);
    expect(table.stdout).toContain("sync.failed");
    expect(redelivered).toEqual(expect.objectContaining({ code: 0 }));
    expect(listed.stdout).toContain("DISABLED");
    expect(JSON.parse(enabled.stdout)).toEqual(expect.objectContaining({ enabled: true }));
    expect(removed.code).toBe(0);
    expect(await database.db.webhookEndpoint.count()).toBe(0);
  });

  it.each([
    [["webhooks"], /webhooks needs one of add, list/],
    [["webhooks", "fly"], /got "fly"/],
    [["webhooks", "add"], /needs <url>/],
    [["webhooks", "list", "extra"], /takes no argument/],
    [["webhooks", "remove", "nope"], /not a webhook id/],
    [["webhooks", "list", "--repository", "octo/hello"], /does not take --repository/],
    [["webhooks", "redeliver", "00000000-0000-4000-8000-000000000000"], /needs <webhook-id> <delivery-id>/],
  ])("%j is a usage error", async (argv, message) => {
    const run = await cli(argv);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("an unknown endpoint exits 1 naming it", async () => {
    const run = await cli(["webhooks", "enable", "00000000-0000-4000-8000-000000000000"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No webhook endpoint 00000000-0000-4000-8000-000000000000/);
  });
});
