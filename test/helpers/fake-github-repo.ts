import { createHash } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { createGzip } from "node:zlib";
import nock from "nock";
import tar from "tar-stream";
import { gitBlobSha } from "../../src/github/git-blob-sha.js";

/** A file of a fake commit: text, bytes, or a symlink / executable / submodule. */
export type FakeFile =
  | string
  | Buffer
  | { content: string | Buffer; mode?: "100644" | "100755" | "120000" }
  | { submodule: string };

export type FakeCommit = {
  sha: string;
  treeSha: string;
  entries: { path: string; mode: string; type: "blob" | "commit"; sha: string; size: number }[];
  blobs: Map<string, Buffer>;
  /** the commit this one was made on (by default the one made before it); null starts an unrelated history */
  parent: string | null;
};

const API = "https://api.github.com";

/**
 * An in-memory repository that answers the connector's requests through nock, so every test pins exactly which
 * requests a sync makes: each expect* call adds one interceptor, consumed once.
 */
export class FakeGitHubRepo {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  readonly githubId: number;
  private counter = 0;
  private readonly blobs = new Map<string, Buffer>();
  private readonly commits = new Map<string, FakeCommit>();
  private last: FakeCommit | null = null;

  constructor(options: { owner?: string; name?: string; defaultBranch?: string; githubId?: number } = {}) {
    this.owner = options.owner ?? "octo-org";
    this.name = options.name ?? "hello-world";
    this.defaultBranch = options.defaultBranch ?? "main";
    this.githubId = options.githubId ?? 1296269;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** A commit whose tree holds exactly these files. */
  commit(files: Record<string, FakeFile>, options: { parent?: FakeCommit | null } = {}): FakeCommit {
    const entries: FakeCommit["entries"] = [];
    const blobs = new Map<string, Buffer>();
    for (const [path, file] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (typeof file === "object" && !Buffer.isBuffer(file) && "submodule" in file) {
        entries.push({ path, mode: "160000", type: "commit", sha: file.submodule, size: 0 });
        continue;
      }
      const spec = typeof file === "string" || Buffer.isBuffer(file) ? { content: file } : file;
      const bytes = Buffer.isBuffer(spec.content) ? spec.content : Buffer.from(spec.content, "utf8");
      const sha = gitBlobSha(bytes);
      blobs.set(sha, bytes);
      this.blobs.set(sha, bytes);
      entries.push({ path, mode: spec.mode ?? "100644", type: "blob", sha, size: bytes.length });
    }
    const treeSha = sha1(`tree ${JSON.stringify(entries)}`);
    this.counter += 1;
    const parent = options.parent === undefined ? this.last : options.parent;
    const commit: FakeCommit = {
      sha: sha1(`commit ${this.counter} ${treeSha}`),
      treeSha,
      entries,
      blobs,
      parent: parent?.sha ?? null,
    };
    this.commits.set(commit.sha, commit);
    this.last = commit;
    return commit;
  }

  expectRepository(): void {
    nock(API)
      .get(`/repos/${this.owner}/${this.name}`)
      .reply(200, {
        id: this.githubId,
        name: this.name,
        full_name: this.fullName,
        owner: { login: this.owner },
        default_branch: this.defaultBranch,
        private: false,
      });
  }

  expectBranchHead(branch: string, commit: FakeCommit): void {
    nock(API)
      .get(`/repos/${this.owner}/${this.name}/branches/${encodeURIComponent(branch)}`)
      .reply(200, {
        name: branch,
        commit: { sha: commit.sha, commit: { tree: { sha: commit.treeSha } } },
        protected: false,
      });
  }

  expectMissingBranch(branch: string): void {
    nock(API)
      .get(`/repos/${this.owner}/${this.name}/branches/${encodeURIComponent(branch)}`)
      .reply(404, { message: "Branch not found" });
  }

  /** The recursive tree, asked for by commit SHA (GitHub resolves a commit to its tree). */
  expectTree(commit: FakeCommit, options: { status?: number } = {}): void {
    const scope = nock(API)
      .get(`/repos/${this.owner}/${this.name}/git/trees/${commit.sha}`)
      .query({ recursive: "1" });
    if (options.status) {
      scope.reply(options.status, { message: "Server Error" });
      return;
    }
    scope.reply(200, {
      sha: commit.treeSha,
      url: `${API}/repos/${this.owner}/${this.name}/git/trees/${commit.treeSha}`,
      tree: treeEntries(commit),
      truncated: false,
    });
  }

  /**
   * What GitHub does past 100,000 entries / 7 MB: the recursive listing comes back `truncated` (with only some
   * entries), the root is listed on its own, then each top-level directory recursively.
   */
  expectTruncatedTree(commit: FakeCommit): void {
    const half = treeEntries(commit).slice(0, Math.ceil(commit.entries.length / 2));
    nock(API).get(`${this.treesPath}/${commit.sha}`).query({ recursive: "1" }).reply(200, {
      sha: commit.treeSha,
      tree: half,
      truncated: true,
    });
    const { root, directories } = this.topLevel(commit);
    nock(API)
      .get(`${this.treesPath}/${commit.treeSha}`)
      .reply(200, { sha: commit.treeSha, tree: root, truncated: false });
    for (const directory of directories.keys()) this.expectSubtree(commit, directory);
  }

  private expectSubtree(commit: FakeCommit, directory: string): void {
    const entries = this.topLevel(commit).directories.get(directory);
    if (!entries) throw new Error(`no directory ${directory} in the fake commit`);
    const sha = subtreeSha(directory, entries);
    nock(API)
      .get(`${this.treesPath}/${sha}`)
      .query({ recursive: "1" })
      .reply(200, { sha, tree: treeEntries({ ...commit, entries }), truncated: false });
  }

  private get treesPath(): string {
    return `/repos/${this.owner}/${this.name}/git/trees`;
  }

  private topLevel(commit: FakeCommit) {
    const root: unknown[] = [];
    const directories = new Map<string, FakeCommit["entries"]>();
    for (const entry of commit.entries) {
      const slash = entry.path.indexOf("/");
      if (slash < 0) {
        root.push(treeEntries({ ...commit, entries: [entry] })[0]);
        continue;
      }
      const directory = entry.path.slice(0, slash);
      const inside = directories.get(directory) ?? [];
      inside.push({ ...entry, path: entry.path.slice(slash + 1) });
      directories.set(directory, inside);
    }
    for (const [directory, entries] of directories) {
      root.push({ path: directory, mode: "040000", type: "tree", sha: subtreeSha(directory, entries) });
    }
    return { root, directories };
  }

  /**
   * The tarball of a commit, as GitHub serves it: the API answers 302 to codeload, which streams a gzipped tar whose
   * paths sit under `owner-repo-sha7/`. `omit` leaves paths out (as export-ignore would).
   */
  async expectArchive(commit: FakeCommit, options: { omit?: string[] } = {}): Promise<void> {
    const prefix = `${this.owner}-${this.name}-${commit.sha.slice(0, 7)}/`;
    const pack = tar.pack();
    const gzipped = buffer(pack.pipe(createGzip()));
    for (const entry of commit.entries) {
      if (entry.type !== "blob" || options.omit?.includes(entry.path)) continue;
      const bytes = commit.blobs.get(entry.sha) as Buffer;
      if (entry.mode === "120000") {
        pack.entry({ name: `${prefix}${entry.path}`, type: "symlink", linkname: bytes.toString("utf8") });
      } else {
        pack.entry({ name: `${prefix}${entry.path}`, mode: entry.mode === "100755" ? 0o755 : 0o644 }, bytes);
      }
    }
    pack.finalize();
    const body = await gzipped;
    const codeload = `https://codeload.github.com/${this.owner}/${this.name}/legacy.tar.gz/${commit.sha}`;
    nock(API)
      .get(`/repos/${this.owner}/${this.name}/tarball/${commit.sha}`)
      .reply(302, "", { location: codeload });
    nock("https://codeload.github.com")
      .get(`/${this.owner}/${this.name}/legacy.tar.gz/${commit.sha}`)
      .reply(200, body, { "content-type": "application/x-gzip" });
  }

  /**
   * One GraphQL content query; answers every blob the query names, so the test pins the number of queries, and
   * `onQuery` can check which SHAs were asked for.
   */
  expectBlobQuery(options: { onQuery?: (shas: string[]) => void; status?: number } = {}): void {
    this.expectGraphql(options);
  }

  /**
   * A push on top of `base`: the compare API, then — when `base` is an ancestor and fewer than 300 files changed —
   * one GraphQL query for the folders holding the changes; otherwise (a force push) the full tree.
   */
  expectPush(
    base: FakeCommit,
    head: FakeCommit,
    options: { treeDiff?: boolean; status?: number } = {},
  ): void {
    const comparison = this.comparison(base, head);
    const scope = nock(API)
      .get(`/repos/${this.owner}/${this.name}/compare/${base.sha}...${head.sha}`)
      .query({ per_page: "1" });
    if (options.status) {
      scope.reply(options.status, { message: "Server Error" });
      return;
    }
    scope.reply(200, comparison);
    if (comparison.status === "ahead" && comparison.files.length < 300) this.expectGraphql();
    else if (options.treeDiff) this.expectGraphql();
    else this.expectTree(head);
  }

  private comparison(base: FakeCommit, head: FakeCommit) {
    let ancestor = false;
    for (let sha: string | null = head.parent; sha; sha = this.commits.get(sha)?.parent ?? null) {
      if (sha === base.sha) ancestor = true;
    }
    const status = base.sha === head.sha ? "identical" : ancestor ? "ahead" : "diverged";
    const before = new Map(base.entries.map((entry) => [entry.path, entry]));
    const files: { filename: string; status: string; sha: string }[] = [];
    for (const entry of head.entries) {
      const old = before.get(entry.path);
      before.delete(entry.path);
      if (!old) files.push({ filename: entry.path, status: "added", sha: entry.sha });
      else if (old.sha !== entry.sha || old.mode !== entry.mode) {
        files.push({
          filename: entry.path,
          status: old.sha === entry.sha ? "changed" : "modified",
          sha: entry.sha,
        });
      }
    }
    for (const old of before.values()) files.push({ filename: old.path, status: "removed", sha: old.sha });
    return { status, ahead_by: 1, behind_by: 0, total_commits: 1, commits: [], files };
  }

  /** One GraphQL query: blobs by oid, commits by oid, folders by `<commit>:<path>` expression. */
  private expectGraphql(options: { onQuery?: (shas: string[]) => void; status?: number } = {}): void {
    nock(API)
      .post("/graphql")
      .reply(async (request: Request) => {
        const { query } = (await request.json()) as { query: string };
        const matches = [...query.matchAll(/(\w+): object\((oid|expression): "([^"]*)"\)/g)];
        const asked = matches.map((match, index) => ({
          alias: match[1] as string,
          by: match[2] as string,
          value: match[3] as string,
          // levels of `entries` the alias selects (a tree walk nests `object { ... on Tree { entries } }`)
          depth: query.slice(match.index, matches[index + 1]?.index).split("entries {").length - 1,
        }));
        const blobs = asked.filter((field) => field.by === "oid" && !this.commits.has(field.value));
        options.onQuery?.(blobs.map((field) => field.value));
        if (options.status) return [options.status, { message: "Server Error" }] as [number, nock.Body];
        const repository: Record<string, unknown> = {};
        for (const field of asked) {
          const commit = this.commits.get(field.value);
          const folder =
            field.by === "oid" && !commit && field.depth > 0 ? this.folderBySha(field.value) : null;
          if (folder) {
            repository[field.alias] = this.graphqlTree(folder.commit, folder.prefix, field.depth);
          } else if (field.by === "oid") {
            repository[field.alias] = commit
              ? {
                  oid: commit.sha,
                  tree: field.depth > 0 ? this.graphqlTree(commit, "", field.depth) : { oid: commit.treeSha },
                }
              : this.graphqlBlob(field.value);
          } else {
            repository[field.alias] = this.graphqlFolder(field.value);
          }
        }
        return [200, { data: { repository } }] as [number, nock.Body];
      });
  }

  private graphqlFolder(expression: string): unknown {
    const [sha = "", folderPath = ""] = expression.split(":");
    const commit = this.commits.get(sha);
    if (!commit) return null;
    const prefix = folderPath === "" ? "" : `${folderPath}/`;
    const entries = new Map<string, { name: string; mode: number; type: string; oid: string }>();
    for (const entry of commit.entries) {
      if (!entry.path.startsWith(prefix)) continue;
      const rest = entry.path.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) {
        entries.set(rest, {
          name: rest,
          mode: Number.parseInt(entry.mode, 8),
          type: entry.type,
          oid: entry.sha,
        });
      } else {
        const name = rest.slice(0, slash);
        entries.set(name, {
          name,
          mode: 0o40000,
          type: "tree",
          oid: folderSha(commit, `${prefix}${name}/`),
        });
      }
    }
    if (entries.size === 0 && prefix !== "") return null;
    return {
      oid: prefix === "" ? commit.treeSha : folderSha(commit, prefix),
      entries: [...entries.values()],
    };
  }

  /** A folder of any commit by its fake SHA, as `object(oid:)` finds a tree. */
  private folderBySha(sha: string): { commit: FakeCommit; prefix: string } | null {
    for (const commit of this.commits.values()) {
      for (const entry of commit.entries) {
        const parts = entry.path.split("/").slice(0, -1);
        for (let end = 1; end <= parts.length; end += 1) {
          const prefix = `${parts.slice(0, end).join("/")}/`;
          if (folderSha(commit, prefix) === sha) return { commit, prefix };
        }
      }
    }
    return null;
  }

  /** `... on Tree { oid entries { name mode type oid object { ... on Tree { … } } } }`, `depth` levels of entries. */
  private graphqlTree(commit: FakeCommit, prefix: string, depth: number): unknown {
    const tree = this.graphqlFolder(`${commit.sha}:${prefix.slice(0, -1)}`) as {
      oid: string;
      entries: { name: string; mode: number; type: string; oid: string }[];
    };
    if (depth <= 1) return tree;
    return {
      oid: tree.oid,
      entries: tree.entries.map((entry) => ({
        ...entry,
        object:
          entry.type === "tree"
            ? this.graphqlTree(commit, `${prefix}${entry.name}/`, depth - 1)
            : entry.type === "blob"
              ? {}
              : null,
      })),
    };
  }

  private graphqlBlob(sha: string): unknown {
    const bytes = this.blobs.get(sha);
    if (!bytes) return null;
    const isBinary = bytes.includes(0);
    const truncated = bytes.length > 512_000;
    return {
      oid: sha,
      byteSize: bytes.length,
      isBinary,
      isTruncated: !isBinary && truncated,
      text: isBinary ? null : bytes.subarray(0, 512_000).toString("utf8"),
    };
  }

  /** The raw download of one blob (used for text over GraphQL's 512,000-byte truncation). */
  expectRawBlob(sha: string): void {
    const bytes = this.blobs.get(sha);
    if (!bytes) throw new Error(`no blob ${sha} in the fake repository`);
    nock(API).get(`/repos/${this.owner}/${this.name}/git/blobs/${sha}`).reply(200, bytes, {
      "content-type": "application/vnd.github.raw",
    });
  }
}

function treeEntries(commit: FakeCommit) {
  return commit.entries.map((entry) => ({
    path: entry.path,
    mode: entry.mode,
    type: entry.type,
    sha: entry.sha,
    ...(entry.type === "blob" ? { size: entry.size } : {}),
    url: `${API}/repos/x/y/git/blobs/${entry.sha}`,
  }));
}

/** The fake SHA of a folder ("a/b/"), the same one the tree listings give it. */
function folderSha(commit: FakeCommit, prefix: string): string {
  const inside = commit.entries
    .filter((entry) => entry.path.startsWith(prefix))
    .map((entry) => ({ ...entry, path: entry.path.slice(prefix.length) }));
  return subtreeSha(prefix.slice(0, -1), inside);
}

function subtreeSha(directory: string, entries: FakeCommit["entries"]): string {
  return sha1(`dir ${directory} ${JSON.stringify(entries)}`);
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
