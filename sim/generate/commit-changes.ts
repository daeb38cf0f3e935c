import { posix } from "node:path";
import { type GitTreeEntry, listTree } from "../git/list-tree.js";
import { gitText } from "../git/run-git.js";
import { commitHeader, modifyInline, quotePath, startFastImport } from "./fast-import.js";
import { fileContent } from "./file-content.js";
import { createContentPools } from "./generate-content.js";
import { createRandom, type Random } from "./seeded-random.js";

/** An explicit change: new content (text, bytes, a file with a mode, a submodule commit), or null to delete. */
export type FileChange =
  | string
  | Buffer
  | { content: string | Buffer; mode?: "100644" | "100755" | "120000" }
  | { submodule: string }
  | null;

/** Random changes to the parent's files, chosen from `seed`; the chosen files are distinct. */
export type RandomChanges = { modify?: number; add?: number; remove?: number; rename?: number };

export type CommitChangesOptions = {
  gitDir: string;
  /** the commit to change; null starts from no files */
  parent: string | null;
  /** also point refs/heads/<branch> at the new commit (the simulator's heads are separate: call setBranch) */
  branch?: string;
  /**
   * counts of random changes, or explicit path → content | null. Content at a folder's path replaces the folder (and
   * everything under it) by a file; content below a file's path replaces the file by a folder. Deletions apply first.
   */
  changes: RandomChanges | Record<string, FileChange>;
  /** default 1; the same seed and parent give the same commit */
  seed?: number;
  message?: string;
  /**
   * Start from the parent's files but record no parent: an unrelated history, as after a force push of a rewritten
   * branch. Compare with the old head then has no common ancestor.
   */
  orphan?: boolean;
};

const RANDOM_KEYS = new Set(["modify", "add", "remove", "rename"]);
const BINARY_EXTENSIONS = /\.(png|jpg|woff2|bin|gz|pdf|ico)$/;
let importSerial = 0;

/**
 * A new commit on `parent` with the changes, written with `git fast-import` (fast on 100,000-file trees: unchanged
 * folders are reused, not rewritten). Returns the new commit's SHA.
 * @example const sha = await commitChanges({ gitDir, parent: headSha, changes: { modify: 10, add: 3, remove: 2, rename: 1 }, seed: 2 });
 * @example const sha = await commitChanges({ gitDir, parent: headSha, changes: { "docs/new.md": "# New\n", "old.txt": null } });
 * @example // a folder replaced by a file of the same name (everything under docs/ goes), and a file by a folder
 * const sha = await commitChanges({ gitDir, parent: headSha, changes: { docs: "now a file\n", "notes/a.md": "# A\n" } });
 */
export async function commitChanges(options: CommitChangesOptions): Promise<string> {
  const { gitDir, parent, changes, seed = 1, orphan = false } = options;
  const time = parent
    ? Number(await gitText(gitDir, ["show", "-s", "--format=%ct", parent])) + 60
    : 1_700_000_000;
  const explicit = isRandomChanges(changes)
    ? await randomChanges({ gitDir, parent, changes, seed })
    : (changes as Record<string, FileChange>);
  // Ordered (and checked) before git starts: a throw must not leave a fast-import waiting for input.
  const ordered = orderedChanges(explicit);

  // A ref of its own, so concurrent imports and existing branches are never touched until the commit exists.
  const ref = `refs/sim/import-${process.pid}-${++importSerial}`;
  const importer = startFastImport(gitDir);
  const message = options.message ?? `Simulated change (seed ${seed})\n`;
  await importer.write(commitHeader({ ref, message, time, ...(parent && !orphan ? { from: parent } : {}) }));
  if (parent && orphan)
    await importer.write(`M 040000 ${await gitText(gitDir, ["rev-parse", `${parent}^{tree}`])} ""\n`);
  for (const [path, change] of ordered) await importer.write(changeCommand(path, change));
  await importer.write("\n");
  await importer.finish();

  const sha = await gitText(gitDir, ["rev-parse", ref]);
  await gitText(gitDir, ["update-ref", "-d", ref]);
  if (options.branch) await gitText(gitDir, ["update-ref", `refs/heads/${options.branch}`, sha]);
  return sha;
}

/**
 * The changes in the order fast-import must apply them: deletions first, so deleting `notes` and adding
 * `notes/a.md` (a file replaced by a folder) never deletes the new folder, whatever order the caller wrote them in.
 * Giving content to both a path and a path below it cannot be one tree, and throws.
 */
function orderedChanges<T>(changes: Record<string, T | null>): [string, T | null][] {
  const entries = Object.entries(changes);
  const written = new Set(entries.filter(([, change]) => change !== null).map(([path]) => path));
  for (const path of written) {
    for (let slash = path.indexOf("/"); slash > 0; slash = path.indexOf("/", slash + 1)) {
      const folder = path.slice(0, slash);
      if (written.has(folder)) {
        throw new Error(`commitChanges: "${folder}" cannot be a file and also hold "${path}".`);
      }
    }
  }
  return [
    ...entries.filter(([, change]) => change === null),
    ...entries.filter(([, change]) => change !== null),
  ];
}

function isRandomChanges(changes: CommitChangesOptions["changes"]): changes is RandomChanges {
  const entries = Object.entries(changes);
  return (
    entries.length > 0 && entries.every(([key, value]) => RANDOM_KEYS.has(key) && typeof value === "number")
  );
}

/** A change as fast-import commands; renames are marked by a `{ renameFrom }` entry built by randomChanges. */
function changeCommand(path: string, change: FileChange | RenameFrom): string | Buffer[] {
  if (change === null) return `D ${quotePath(path)}\n`;
  if (typeof change === "string") return modifyInline("100644", path, Buffer.from(change, "utf8"));
  if (Buffer.isBuffer(change)) return modifyInline("100644", path, change);
  if (isRename(change)) return `R ${quotePath(change.renameFrom)} ${quotePath(path)}\n`;
  if ("submodule" in change) return `M 160000 ${change.submodule} ${quotePath(path)}\n`;
  const content = typeof change.content === "string" ? Buffer.from(change.content, "utf8") : change.content;
  return modifyInline(change.mode ?? "100644", path, content);
}

type RenameFrom = { renameFrom: string };

function isRename(change: object): change is RenameFrom {
  return "renameFrom" in change;
}

async function randomChanges(options: {
  gitDir: string;
  parent: string | null;
  changes: RandomChanges;
  seed: number;
}): Promise<Record<string, FileChange | RenameFrom>> {
  const { gitDir, parent, changes, seed } = options;
  const random = createRandom(seed * 7919 + 17);
  const pools = createContentPools(seed);
  const files = parent
    ? (await listTree({ gitDir, treeish: parent, recursive: true, sizes: false })).filter(
        (entry) => entry.type === "blob",
      )
    : [];
  const existing = new Set(files.map((file) => file.path));
  const { modify = 0, add = 0, remove = 0, rename = 0 } = changes;
  const editable = files.filter((file) => file.mode !== "120000");
  const modified = sample(random, editable, modify);
  const chosen = new Set(modified.map((file) => file.path));
  const rest = sample(
    random,
    files.filter((file) => !chosen.has(file.path)),
    remove + rename,
  );
  const result: Record<string, FileChange | RenameFrom> = {};
  modified.forEach((file, index) => {
    const kind = BINARY_EXTENSIONS.test(file.path) ? "binary" : "text";
    const tag = `change ${seed}:${index}`;
    const { content } = fileContent({ pools, random, kind, path: file.path, tag });
    result[file.path] = { content, mode: file.mode as "100644" | "100755" };
  });
  rest.slice(0, remove).forEach((file) => {
    result[file.path] = null;
  });
  rest.slice(remove).forEach((file, index) => {
    const target = freePath(existing, siblingPath(file.path, `moved-${seed}-${index}`));
    result[target] = { renameFrom: file.path };
  });
  for (let index = 0; index < add; index += 1) {
    const near = files.length > 0 ? random.pick(files).path : "";
    const dir = posix.dirname(near) === "." ? "" : `${posix.dirname(near)}/`;
    const folder = random.chance(0.1) ? `${dir}added-${seed}-${index}/` : dir;
    const path = freePath(existing, `${folder}added-${seed}-${index}.ts`);
    result[path] = fileContent({ pools, random, kind: "text", path, tag: `add ${seed}:${index}` }).content;
  }
  return result;
}

function sample(random: Random, items: readonly GitTreeEntry[], count: number): GitTreeEntry[] {
  const pool = [...items];
  const picked: GitTreeEntry[] = [];
  for (let index = 0; index < Math.min(count, pool.length); index += 1) {
    const swap = random.int(index, pool.length - 1);
    [pool[index], pool[swap]] = [pool[swap] as GitTreeEntry, pool[index] as GitTreeEntry];
    picked.push(pool[index] as GitTreeEntry);
  }
  return picked;
}

function siblingPath(path: string, label: string): string {
  const extension = posix.extname(path);
  return `${path.slice(0, path.length - extension.length)}-${label}${extension}`;
}

function freePath(existing: Set<string>, path: string): string {
  let candidate = path;
  for (let counter = 2; existing.has(candidate); counter += 1) candidate = `${path}-${counter}`;
  existing.add(candidate);
  return candidate;
}
