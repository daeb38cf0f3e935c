import { describe, expect, it } from "@jest/globals";
import { AppError } from "../../src/errors.js";
import { type BaseFolder, fetchChangedFolders } from "../../src/github/fetch-changed-folders.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";

const COMMIT = "c".repeat(40);
const sha = (n: number) => n.toString(16).padStart(40, "0");
const BLOB = 0o100644;
const TREE = 0o40000;

type Entry = { name: string; mode: number; type: string; oid: string; object?: unknown };
const blob = (name: string, oid: string): Entry => ({ name, mode: BLOB, type: "blob", oid, object: {} });
const tree = (name: string, oid: string, entries?: Entry[] | null): Entry => ({
  name,
  mode: TREE,
  type: "tree",
  oid,
  ...(entries === undefined ? {} : { object: { oid, entries } }),
});
const options = (base: [string, BaseFolder][]) => ({
  client: testOctokit(),
  owner: "octo",
  repo: "hello",
  commit: COMMIT,
  base: new Map(base),
});

function queryOf(requests: { body: unknown }[], index: number): string {
  const body = requests[index]?.body as { query?: string } | undefined;
  return body?.query ?? "";
}

describe("fetchChangedFolders", () => {
  const github = useNockGitHub();

  it("lists, in one query, the root and the changed folders nested below it, and skips the unchanged ones", async () => {
    github
      .api()
      .post("/graphql")
      .reply(200, {
        data: {
          repository: {
            f0: {
              oid: COMMIT,
              tree: {
                oid: sha(10),
                entries: [
                  tree("same", sha(1), [blob("kept.txt", sha(2))]),
                  tree("moved", sha(3), [
                    blob("x.txt", sha(4)),
                    { name: "sub", mode: 0o160000, type: "commit", oid: sha(5), object: null },
                  ]),
                  blob("readme", sha(6)),
                ],
              },
            },
          },
        },
      });

    const found = await fetchChangedFolders(
      options([
        ["", { sha: sha(9), entries: 2 }],
        ["same/", { sha: sha(1), entries: 1 }],
        ["moved/", { sha: sha(7), entries: 1 }],
      ]),
    );

    expect(found.treeSha).toBe(sha(10));
    expect([...found.listed.keys()]).toEqual(["", "moved/"]);
    expect(found.listed.get("moved/")).toEqual([
      { name: "x.txt", mode: "100644", type: "blob", sha: sha(4) },
      { name: "sub", mode: "160000", type: "commit", sha: sha(5) },
    ]);
    expect(found.folders).toEqual(
      new Map([
        ["same/", sha(1)],
        ["moved/", sha(3)],
      ]),
    );
    expect(found.requests).toBe(1);
    const query = queryOf(github.requests(), 0);
    expect(query).toContain(`f0: object(oid: "${COMMIT}") { ... on Commit { oid tree {`);
    // three levels: the root, its folders, theirs
    expect(query.match(/object \{ \.\.\. on Tree/g)).toHaveLength(2);
  });

  it("queues a changed folder below the nesting for the next query by its SHA, and lists over REST a tree GraphQL does not list", async () => {
    const api = github.api();
    api.post("/graphql").reply(200, {
      data: {
        repository: {
          f0: {
            oid: COMMIT,
            tree: { oid: sha(10), entries: [tree("a", sha(11), [tree("b", sha(12), [tree("c", sha(13))])])] },
          },
        },
      },
    });
    api.post("/graphql").reply(200, { data: { repository: { f0: { oid: sha(13), entries: null } } } });
    api.get(`/repos/octo/hello/git/trees/${sha(13)}`).reply(200, {
      sha: sha(13),
      truncated: false,
      tree: [{ path: "deep.sh", mode: "100755", type: "blob", sha: sha(14), size: 3 }],
    });

    const found = await fetchChangedFolders(options([]));

    expect([...found.listed.keys()]).toEqual(["", "a/", "a/b/", "a/b/c/"]);
    expect(found.listed.get("a/b/c/")).toEqual([
      { name: "deep.sh", mode: "100755", type: "blob", sha: sha(14) },
    ]);
    expect(found.requests).toBe(3);
    const second = queryOf(github.requests(), 1);
    expect(second).toContain(`f0: object(oid: "${sha(13)}") { ... on Tree { oid entries {`);
    // a folder the base lacks may be any size: one level at a time
    expect(second).not.toContain("object { ... on Tree");
  });

  it("says the commit is not found when GitHub has no such commit", async () => {
    github
      .api()
      .post("/graphql")
      .reply(200, { data: { repository: { f0: null } } });
    const failure = await fetchChangedFolders(options([])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "COMMIT_NOT_FOUND" });
  });

  it("refuses a commit that is not a SHA without asking GitHub", async () => {
    await expect(fetchChangedFolders({ ...options([]), commit: "main" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
  });
});
