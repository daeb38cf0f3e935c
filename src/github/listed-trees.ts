import { createHash } from "node:crypto";

/** A tree entry as a listing gives it, by name within its folder. */
export type ListedChild = {
  name: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
};

/** The folders of one or more tree listings (possibly truncated): folder path ("" or "a/b/") → its entries. */
export type ListedTrees = Map<string, ListedChild[]>;

/** Adds a listing's entries, whose paths are relative to `prefix`, to the folders they belong to. */
export function addListing(
  trees: ListedTrees,
  prefix: string,
  entries: readonly {
    path: string;
    mode: string;
    type: "blob" | "tree" | "commit";
    sha: string;
    size?: number;
  }[],
): void {
  for (const entry of entries) {
    const full = `${prefix}${entry.path}`;
    const slash = full.lastIndexOf("/");
    const folder = slash < 0 ? "" : full.slice(0, slash + 1);
    const children = trees.get(folder) ?? [];
    children.push({
      name: full.slice(slash + 1),
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      size: entry.size,
    });
    trees.set(folder, children);
  }
}

/**
 * The entries of folder `prefix` when the listings hold all of them: proved by hashing them into a git tree object
 * and comparing with the folder's SHA, so a listing GitHub cut off part-way is never taken for complete.
 */
export function completeChildren(trees: ListedTrees, prefix: string, sha: string): ListedChild[] | null {
  const children = trees.get(prefix);
  if (!children || gitTreeSha(children) !== sha) return null;
  return children;
}

/**
 * A git tree object's SHA from its entries: `tree <size>\0` then, in git's order (a folder sorts as if its name
 * ended with "/"), `<mode> <name>\0<20-byte sha>` per entry, with folders' mode written "40000".
 */
export function gitTreeSha(children: readonly ListedChild[]): string {
  const sorted = [...children].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
  const parts = sorted.map((child) =>
    Buffer.concat([
      Buffer.from(
        `${child.type === "tree" ? "40000" : child.mode.replace(/^0+/, "")} ${child.name}\0`,
        "utf8",
      ),
      Buffer.from(child.sha, "hex"),
    ]),
  );
  const body = Buffer.concat(parts);
  return createHash("sha1").update(`tree ${body.length}\0`).update(body).digest("hex");
}

function sortKey(child: ListedChild): Buffer {
  return Buffer.from(child.type === "tree" ? `${child.name}/` : child.name, "utf8");
}
