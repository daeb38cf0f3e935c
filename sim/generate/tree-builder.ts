import type { PackWriter } from "./pack-writer.js";

/** Collects files by path, then writes every folder's tree object bottom-up. */
export type TreeBuilder = {
  add(path: string, mode: string, sha: string): void;
  /** writes the trees into the pack and returns the root tree's SHA */
  write(pack: PackWriter): Promise<string>;
};

type Folder = { files: Map<string, { mode: string; sha: string }>; folders: Map<string, Folder> };

/**
 * Tree objects as git builds them: entries sorted by name bytes, a folder compared as if its name ended in "/",
 * `<mode> <name>\0<20-byte SHA>` each, folders with mode 40000.
 * @example const trees = createTreeBuilder(); trees.add("src/a.ts", "100644", sha); const root = await trees.write(pack);
 */
export function createTreeBuilder(): TreeBuilder {
  const root: Folder = { files: new Map(), folders: new Map() };
  return {
    add(path, mode, sha) {
      const parts = path.split("/");
      const name = parts.pop() as string;
      let folder = root;
      for (const part of parts) {
        let next = folder.folders.get(part);
        if (!next) {
          next = { files: new Map(), folders: new Map() };
          folder.folders.set(part, next);
        }
        folder = next;
      }
      folder.files.set(name, { mode, sha });
    },
    write: (pack) => writeFolder(pack, root),
  };
}

async function writeFolder(pack: PackWriter, folder: Folder): Promise<string> {
  const entries: { key: Buffer; name: string; mode: string; sha: string }[] = [];
  for (const [name, child] of folder.folders) {
    const sha = await writeFolder(pack, child);
    entries.push({ key: Buffer.from(`${name}/`, "utf8"), name, mode: "40000", sha });
  }
  for (const [name, file] of folder.files) {
    entries.push({ key: Buffer.from(name, "utf8"), name, mode: file.mode, sha: file.sha });
  }
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(Buffer.from(`${entry.mode} ${entry.name}\0`, "utf8"), Buffer.from(entry.sha, "hex"));
  }
  return pack.add("tree", Buffer.concat(parts));
}
