import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { commitHeader, modifyInline, startFastImport } from "../../sim/generate/fast-import.js";
import { NAME, OWNER, useSimulator } from "./use-simulator.js";

type PushedCommit = { id: string; added: string[]; removed: string[]; modified: string[] };

describe("GitHub simulator push payloads capped like GitHub's", () => {
  const fixture = useSimulator({ files: 80 });
  let server: Server;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(202).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fixture.sim.setWebhookTarget({ url: `http://127.0.0.1:${port}/`, secret: "s" });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("lists at most 3,000 paths per commit (added, removed and modified together)", async () => {
    const { gitDir, headSha, paths } = fixture.repo;
    const removed = paths.slice(0, 60);
    const changes: Record<string, string | null> = Object.fromEntries(removed.map((path) => [path, null]));
    for (let index = 0; index < 3_050; index += 1)
      changes[`bulk/f${String(index).padStart(4, "0")}.txt`] = `${index}\n`;
    const big = await commitChanges({ gitDir, parent: headSha, changes });

    const { payload } = await fixture.sim.push(OWNER, NAME, "capped", big, {});

    const [commit] = payload.commits as PushedCommit[];
    const listed = [...(commit?.added ?? []), ...(commit?.removed ?? []), ...(commit?.modified ?? [])];
    expect(listed).toHaveLength(3_000);
    expect(new Set(listed).size).toBe(3_000);
    const changed = new Set(Object.keys(changes));
    expect(listed.every((path) => changed.has(path))).toBe(true);
    expect((commit?.removed ?? []).every((path) => removed.includes(path))).toBe(true);
    expect((payload.head_commit as PushedCommit).id).toBe(big);
  });

  it("lists the newest 2,048 commits of a longer push, oldest first, with head_commit the head", async () => {
    const { gitDir, headSha } = fixture.repo;
    // 2,100 one-file commits in one fast-import stream: a second or so, where commitChanges would take minutes.
    const ref = "refs/heads/long-push";
    const importer = startFastImport(gitDir);
    for (let index = 0; index < 2_100; index += 1) {
      const from = index === 0 ? { from: headSha } : {};
      await importer.write(
        commitHeader({ ref, message: `step ${index}\n`, time: 1_800_000_000 + index, ...from }),
      );
      await importer.write(modifyInline("100644", "counter.txt", Buffer.from(`${index}\n`)));
      await importer.write("\n");
    }
    await importer.finish();
    const shas = fixture.git("rev-list", "--reverse", ref, `^${headSha}`).trim().split("\n");
    const head = shas.at(-1) as string;
    fixture.sim.setBranch(OWNER, NAME, "long", headSha);

    const { payload } = await fixture.sim.push(OWNER, NAME, "long", head);

    const commits = payload.commits as PushedCommit[];
    expect(shas).toHaveLength(2_100);
    expect(commits).toHaveLength(2_048);
    expect(commits.map((commit) => commit.id)).toEqual(shas.slice(-2_048));
    expect(commits[0]).toMatchObject({ modified: ["counter.txt"], added: [], removed: [] });
    expect((payload.head_commit as PushedCommit).id).toBe(head);
  });

  it("sends head_commit even when the push brings no new commit (back to an older one)", async () => {
    const { headSha } = fixture.repo;
    const newer = fixture.git("rev-parse", "refs/heads/long-push").trim();
    fixture.sim.setBranch(OWNER, NAME, "back", newer);

    const { payload } = await fixture.sim.push(OWNER, NAME, "back", headSha);

    expect(payload).toMatchObject({ forced: true, commits: [], head_commit: { id: headSha } });
  });
});
