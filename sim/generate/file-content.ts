import { posix } from "node:path";
import { binaryContent, type ContentPools, textContent } from "./generate-content.js";
import { DUPLICATE_NAMES, type FileKind } from "./plan-files.js";
import type { Random } from "./seeded-random.js";

/** A generated file's git mode and bytes. */
export type FileData = { mode: "100644" | "100755" | "120000"; content: Buffer };

export type FileContentOptions = {
  pools: ContentPools;
  random: Random;
  kind: FileKind;
  path: string;
  /** unique per file and version, written into the content so no two generated files collide by accident */
  tag: string;
  unicodeContent?: boolean;
  /** for symlinks: some other path of the repository to point at */
  linkTarget?: string;
};

/**
 * The bytes of one generated file: text of 200 B–20 KB (log-uniform), large text of 100–600 KB ("huge": over
 * GraphQL's 512,000-byte text limit), binary with NULs, empty, a symlink, a shell script, or one of a few files
 * repositories copy everywhere (same name, same content).
 */
export function fileContent(options: FileContentOptions): FileData {
  const { pools, random, kind, path, tag } = options;
  switch (kind) {
    case "empty":
      return { mode: "100644", content: Buffer.alloc(0) };
    case "symlink": {
      const target = options.linkTarget ?? "README.md";
      return {
        mode: "120000",
        content: Buffer.from(posix.relative(posix.dirname(path), target) || ".", "utf8"),
      };
    }
    case "binary":
      return { mode: "100644", content: binaryContent(pools, random, random.logUniform(1000, 64_000), tag) };
    case "large":
      return { mode: "100644", content: textContent(pools, random, random.int(100_000, 600_000), tag) };
    case "huge":
      return { mode: "100644", content: textContent(pools, random, random.int(512_001, 600_000), tag) };
    case "executable": {
      const body = textContent(pools, random, random.logUniform(200, 8000), tag);
      return { mode: "100755", content: Buffer.concat([Buffer.from("#!/bin/sh\n"), body]) };
    }
    case "duplicate":
      return { mode: "100644", content: duplicateContent(pools, posix.basename(path)) };
    default:
      return {
        mode: "100644",
        content: textContent(pools, random, random.logUniform(200, 20_000), tag, options.unicodeContent),
      };
  }
}

const duplicates = new WeakMap<ContentPools, Map<string, Buffer>>();

function duplicateContent(pools: ContentPools, name: string): Buffer {
  let byName = duplicates.get(pools);
  if (!byName) {
    byName = new Map();
    duplicates.set(pools, byName);
  }
  const base = DUPLICATE_NAMES.find((candidate) => name.startsWith(candidate)) ?? name;
  let content = byName.get(base);
  if (!content) {
    const offset = DUPLICATE_NAMES.indexOf(base) * 4096;
    content = Buffer.concat([Buffer.from(`# ${base}\n`), pools.text.subarray(offset, offset + 1500)]);
    byName.set(base, content);
  }
  return content;
}
