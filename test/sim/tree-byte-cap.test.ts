import { execFileSync } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const SEVEN_MB = 7 * 1024 * 1024;
const repoPath = `/repos/${OWNER}/${NAME}`;

type TreeResponse = { sha: string; truncated: boolean; tree: Record<string, unknown>[] };

describe("GitHub simulator recursive tree byte cap", () => {
  // No option: the 7 MB cap is the default, as on GitHub.
  const fixture = useSimulator({ files: 5 });

  /** A flat tree of 8,000 entries with 800-byte non-ASCII names: ~8 MB of JSON, but 7,999 entries of 100,000. */
  function bigTree(): string {
    const blob = execFileSync("git", ["--git-dir", fixture.repo.gitDir, "hash-object", "-w", "--stdin"], {
      input: "same content\n",
    })
      .toString()
      .trim();
    // "é" is one UTF-16 unit but two UTF-8 bytes: a cap counted in string length would let the body pass 7 MB.
    const names = Array.from(
      { length: 8000 },
      (_, index) => `${"é".repeat(400)}-${String(index).padStart(5, "0")}`,
    );
    const input = names.map((name) => `100644 blob ${blob}\t${name}\0`).join("");
    return execFileSync("git", ["--git-dir", fixture.repo.gitDir, "mktree", "-z"], { input })
      .toString()
      .trim();
  }

  it("cuts a recursive listing at 7 MB of JSON by default: whole entries, truncated: true, nothing that would fit more", async () => {
    const treeSha = bigTree();

    const recursive = await api(fixture, `${repoPath}/git/trees/${treeSha}?recursive=1`);
    const level = await api(fixture, `${repoPath}/git/trees/${treeSha}`);

    const cut = recursive.json as TreeResponse;
    const whole = level.json as TreeResponse;
    expect(whole.truncated).toBe(false);
    expect(whole.tree).toHaveLength(8000);
    expect(cut.truncated).toBe(true);
    expect(recursive.raw.length).toBeLessThanOrEqual(SEVEN_MB);
    // A prefix of the whole listing, entry for entry, and the next entry would not have fitted.
    expect(cut.tree.length).toBeGreaterThan(6000);
    expect(cut.tree).toEqual(whole.tree.slice(0, cut.tree.length));
    const next = Buffer.byteLength(JSON.stringify(whole.tree[cut.tree.length]));
    expect(recursive.raw.length + 1 + next).toBeGreaterThan(SEVEN_MB);
  });
});
