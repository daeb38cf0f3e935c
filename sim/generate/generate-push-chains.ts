import { posix } from "node:path";
import { listTree } from "../git/list-tree.js";
import { gitText } from "../git/run-git.js";
import {
  AUTHOR_IDENTITY,
  COMMITTER_IDENTITY,
  commitHeader,
  modifyInline,
  quotePath,
  startFastImport,
} from "./fast-import.js";
import { createContentPools, textContent } from "./generate-content.js";
import { createRandom, type Random } from "./seeded-random.js";

/** One generated push: a single new commit on its branch, with what it changed. */
export type ChainPush = {
  branch: string;
  /** the push's place in its branch's chain, from 0 */
  index: number;
  /** the branch head before the push (the base commit for the first push of a branch) */
  before: string;
  /** the new commit, which is the branch head after the push */
  after: string;
  /** the new commit's tree */
  tree: string;
  /** commit time, epoch seconds */
  time: number;
  /** the commit message, without its trailing newline */
  message: string;
  added: string[];
  removed: string[];
  modified: string[];
};

export type GeneratePushChainsOptions = {
  gitDir: string;
  /** the commit every branch starts from */
  base: string;
  branches: readonly string[];
  /** how many pushes in all; push i goes to branches[i % branches.length] */
  pushes: number;
  /** default 1; the same seed, base and branches give the same commits */
  seed?: number;
  /** each push changes 1 to this many files (default 3) */
  maxFilesPerPush?: number;
};

export type PushChains = {
  /** round-robin order over the branches: pushes[i] is on branches[i % branches.length] and continues the last one */
  pushes: ChainPush[];
  /** branch → its head after its last push (the base for a branch without pushes) */
  heads: Record<string, string>;
};

// Share of each kind of change (the rest are removals, which leave at least half of the base's files); a push
// changes 1 file half of the time, 2 files 30 % and 3 files 20 % (capped by maxFilesPerPush).
const MODIFY_SHARE = 0.8;
const ADD_SHARE = 0.1;
const MODIFIED_SIZE = { min: 200, max: 8000 };
let chainSerial = 0;

/**
 * Chains of small pushes on many branches, all written by ONE `git fast-import` run (thousands of commits take
 * seconds): every branch starts at `base`, and each push adds one commit changing 1–3 files (mostly modifications
 * of text files, sometimes an added or removed file). Returns, per push, everything a push webhook carries (see
 * pushChainPayload), so no git call is needed per push; the commit SHAs are read once per branch afterwards.
 * Nothing outside the repository's object store changes: the simulator's branch heads stay where they are.
 * @example const { pushes } = await generatePushChains({ gitDir, base: headSha, branches: ["a", "b"], pushes: 1000 });
 */
export async function generatePushChains(options: GeneratePushChainsOptions): Promise<PushChains> {
  const { gitDir, base, branches, pushes, seed = 1, maxFilesPerPush = 3 } = options;
  if (branches.length === 0) throw new Error("generatePushChains needs at least one branch.");
  const baseTime = Number(await gitText(gitDir, ["show", "-s", "--format=%ct", base]));
  const entries = (await listTree({ gitDir, treeish: base, recursive: true, sizes: false })).filter(
    (entry) => entry.type === "blob",
  );
  const pools = createContentPools(seed);
  const serial = `${process.pid}-${++chainSerial}`;
  const refs = branches.map((_, index) => `refs/sim/chains-${serial}/${index}`);
  // per branch, the planned pushes (SHAs filled in after the import)
  const planned: Omit<ChainPush, "after" | "tree" | "before">[][] = branches.map(() => []);

  const importer = startTunedFastImport(gitDir);
  try {
    // Branch by branch: fast-import then keeps one branch's tree in memory at a time and never reloads one.
    for (const [branchIndex, branch] of branches.entries()) {
      const count = Math.floor(pushes / branches.length) + (branchIndex < pushes % branches.length ? 1 : 0);
      if (count === 0) continue;
      const random = createRandom(seed * 1_000_003 + branchIndex * 7919 + 1);
      const files = createFileSet(entries);
      const minimum = Math.ceil(entries.length / 2);
      const ref = refs[branchIndex] as string;
      for (let index = 0; index < count; index += 1) {
        const time = baseTime + 60 * (index + 1);
        const message = `Load push ${index + 1} on ${branch}`;
        const changes = randomChanges({ random, files, minimum, maxFilesPerPush, branchIndex, index });
        const commands: (string | Buffer)[] = [
          commitHeader({ ref, message: `${message}\n`, time, ...(index === 0 ? { from: base } : {}) }),
        ];
        for (const path of changes.removed) commands.push(`D ${quotePath(path)}\n`);
        for (const path of [...changes.modified, ...changes.added]) {
          const tag = `load ${seed}:${branchIndex}:${index}:${path}`;
          const size = random.logUniform(MODIFIED_SIZE.min, MODIFIED_SIZE.max);
          commands.push(...modifyInline(files.mode(path), path, textContent(pools, random, size, tag)));
        }
        commands.push("\n");
        await importer.write(
          commands.map((command) => (typeof command === "string" ? Buffer.from(command) : command)),
        );
        planned[branchIndex]?.push({ branch, index, time, message, ...changes });
      }
    }
  } finally {
    await importer.finish();
  }

  // One `git log` per branch gives every commit of its chain, oldest first.
  const chains: ChainPush[][] = [];
  for (const [branchIndex, plan] of planned.entries()) {
    const ref = refs[branchIndex] as string;
    if (plan.length === 0) {
      chains.push([]);
      continue;
    }
    const log = await gitText(gitDir, [
      "log",
      "--reverse",
      "--first-parent",
      "--format=%H %T",
      `${base}..${ref}`,
    ]);
    await gitText(gitDir, ["update-ref", "-d", ref]);
    const commits = log.split("\n").filter(Boolean);
    if (commits.length !== plan.length) {
      throw new Error(
        `expected ${plan.length} commits on ${branches[branchIndex]}, git lists ${commits.length}`,
      );
    }
    let before = base;
    chains.push(
      plan.map((push, index) => {
        const [after, tree] = (commits[index] as string).split(" ") as [string, string];
        const done = { ...push, before, after, tree };
        before = after;
        return done;
      }),
    );
  }

  const ordered: ChainPush[] = [];
  for (let index = 0; index < pushes; index += 1) {
    const push = chains[index % branches.length]?.[Math.floor(index / branches.length)];
    if (push) ordered.push(push);
  }
  const heads = Object.fromEntries(
    branches.map((branch, index) => [branch, chains[index]?.at(-1)?.after ?? base]),
  );
  return { pushes: ordered, heads };
}

// glibc gives memory back to the system after every object fast-import writes and asks for it again for the next one:
// on a virtual machine that page-table churn was over half of the run (10,800 commits: 9 s, 3 s with these).
const FAST_IMPORT_MALLOC_ENV = { MALLOC_TRIM_THRESHOLD_: "1073741824", MALLOC_TOP_PAD_: "268435456" };

/** startFastImport with FAST_IMPORT_MALLOC_ENV in git's environment (spawn copies process.env synchronously). */
function startTunedFastImport(gitDir: string): ReturnType<typeof startFastImport> {
  const saved = Object.fromEntries(
    Object.keys(FAST_IMPORT_MALLOC_ENV).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, FAST_IMPORT_MALLOC_ENV);
  try {
    return startFastImport(gitDir);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export type PushChainPayloadContext = {
  /** the repository object of webhook payloads: `sim.repositoryPayload(owner, name)` */
  repository: Record<string, unknown>;
  installationId: number;
  /** the user who pushed; default "octocat" */
  sender?: string;
  /** when the push happened (epoch seconds), as `repository.pushed_at` of push payloads says */
  pushedAt?: number;
};

/**
 * The `push` webhook payload of a generated push, shaped as the simulator's buildPushPayload builds it from git (ref,
 * before/after, created/deleted/forced false, the commit with its added/removed/modified paths, head_commit,
 * repository, pusher, sender, installation), without running git.
 */
export function pushChainPayload(push: ChainPush, context: PushChainPayloadContext): Record<string, unknown> {
  const html = String(context.repository.html_url ?? "");
  const login = context.sender ?? "octocat";
  const sender = { login, id: 583231, type: "User" };
  const commit = {
    id: push.after,
    tree_id: push.tree,
    distinct: true,
    message: push.message,
    timestamp: new Date(push.time * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    url: `${html}/commit/${push.after}`,
    author: { ...identity(AUTHOR_IDENTITY), username: "octocat" },
    committer: { ...identity(COMMITTER_IDENTITY), username: "octocat" },
    added: push.added,
    removed: push.removed,
    modified: push.modified,
  };
  return {
    ref: `refs/heads/${push.branch}`,
    before: push.before,
    after: push.after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${html}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    repository:
      context.pushedAt === undefined
        ? context.repository
        : { ...context.repository, pushed_at: context.pushedAt },
    pusher: { name: login, email: `${login}@users.noreply.github.com` },
    sender,
    installation: { id: context.installationId, node_id: `MDIz${context.installationId}` },
  };
}

function identity(text: string): { name: string; email: string } {
  const match = /^(.*) <(.*)>$/.exec(text);
  return { name: match?.[1] ?? text, email: match?.[2] ?? "" };
}

/** A branch's files: O(1) random pick, add and remove. */
type FileSet = {
  size(): number;
  has(path: string): boolean;
  mode(path: string): string;
  /** a random file; editable only: a regular or executable file, never a symlink */
  pick(random: Random, editable: boolean): string | undefined;
  add(path: string, mode: string): void;
  remove(path: string): void;
};

function createFileSet(entries: readonly { path: string; mode: string }[]): FileSet {
  const paths: string[] = [];
  const modes = new Map<string, string>();
  const positions = new Map<string, number>();
  const add = (path: string, mode: string) => {
    modes.set(path, mode);
    positions.set(path, paths.length);
    paths.push(path);
  };
  for (const entry of entries) add(entry.path, entry.mode);
  return {
    size: () => paths.length,
    has: (path) => modes.has(path),
    mode: (path) => modes.get(path) ?? "100644",
    pick(random, editable) {
      // a few tries: almost every file is editable, and a caller can cope with none
      for (let attempt = 0; attempt < 20 && paths.length > 0; attempt += 1) {
        const path = paths[random.int(0, paths.length - 1)] as string;
        const mode = modes.get(path);
        if (!editable || mode === "100644" || mode === "100755") return path;
      }
      return undefined;
    },
    add,
    remove(path) {
      const position = positions.get(path);
      if (position === undefined) return;
      const last = paths.pop() as string;
      if (last !== path) {
        paths[position] = last;
        positions.set(last, position);
      }
      positions.delete(path);
      modes.delete(path);
    },
  };
}

function randomChanges(options: {
  random: Random;
  files: FileSet;
  minimum: number;
  maxFilesPerPush: number;
  branchIndex: number;
  index: number;
}): { added: string[]; removed: string[]; modified: string[] } {
  const { random, files, minimum, maxFilesPerPush, branchIndex, index } = options;
  const size = random.next();
  const wanted = Math.max(1, Math.min(maxFilesPerPush, size < 0.5 ? 1 : size < 0.8 ? 2 : 3));
  const touched = new Set<string>();
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  for (let change = 0; change < wanted; change += 1) {
    const roll = random.next();
    if (roll < MODIFY_SHARE || (roll >= MODIFY_SHARE + ADD_SHARE && files.size() <= minimum)) {
      const path = files.pick(random, true);
      if (path === undefined || touched.has(path)) continue;
      touched.add(path);
      modified.push(path);
    } else if (roll < MODIFY_SHARE + ADD_SHARE) {
      const near = files.pick(random, false) ?? "";
      const dir = posix.dirname(near) === "." ? "" : `${posix.dirname(near)}/`;
      const path = `${dir}load-${branchIndex}-${index}-${change}.ts`;
      if (files.has(path) || touched.has(path)) continue;
      touched.add(path);
      files.add(path, "100644");
      added.push(path);
    } else {
      const path = files.pick(random, false);
      if (path === undefined || touched.has(path) || path.startsWith(".github/")) continue;
      touched.add(path);
      files.remove(path);
      removed.push(path);
    }
  }
  if (touched.size === 0) {
    // every roll collided (tiny repositories): add a file, which always works
    const path = `load-${branchIndex}-${index}.ts`;
    files.add(path, "100644");
    added.push(path);
  }
  return { added, removed, modified };
}
