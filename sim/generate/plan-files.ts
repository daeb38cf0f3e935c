import type { Random } from "./seeded-random.js";

/** What a generated file holds; see generateRepository for the mix. */
export type FileKind =
  | "text"
  | "large"
  | "huge"
  | "binary"
  | "empty"
  | "symlink"
  | "executable"
  | "duplicate";

export type PlannedFile = { path: string; kind: FileKind; unicodeContent: boolean };

const MAX_DEPTH = 6;
const MIN_ENTRIES = 20;
const MAX_ENTRIES = 200;

// Each kind's share of the files; text takes the rest.
const KIND_SHARES: readonly [FileKind, number][] = [
  ["empty", 0.005],
  ["symlink", 0.001],
  ["binary", 0.03],
  ["large", 0.004],
  ["huge", 0.001],
  ["executable", 0.01],
  ["duplicate", 0.01],
];

// Every repository of at least this many files has each of these, so small test repositories cover every case.
const GUARANTEED: readonly { kind: FileKind; style: NameStyle; unicodeContent?: boolean }[] = [
  { kind: "empty", style: "plain" },
  { kind: "symlink", style: "plain" },
  { kind: "binary", style: "plain" },
  { kind: "binary", style: "plain" },
  { kind: "large", style: "plain" },
  { kind: "huge", style: "plain" },
  { kind: "executable", style: "plain" },
  { kind: "duplicate", style: "plain" },
  { kind: "duplicate", style: "plain" },
  { kind: "text", style: "space" },
  { kind: "text", style: "unicode" },
  { kind: "text", style: "plain", unicodeContent: true },
];
const GUARANTEED_FROM = 40;

type NameStyle = "plain" | "space" | "unicode";

const DIR_WORDS = [
  "src",
  "lib",
  "test",
  "docs",
  "components",
  "utils",
  "core",
  "api",
  "internal",
  "pkg",
  "assets",
  "config",
  "scripts",
  "vendor",
  "modules",
  "services",
  "models",
  "views",
  "styles",
  "fixtures",
  "handlers",
  "routes",
  "shared",
  "common",
  "plugins",
  "tools",
  "examples",
  "data",
  "schemas",
  "generated",
];
const NAME_WORDS = [
  "index",
  "main",
  "app",
  "util",
  "helper",
  "client",
  "server",
  "router",
  "store",
  "model",
  "view",
  "sync",
  "memory",
  "branch",
  "commit",
  "tree",
  "blob",
  "cache",
  "queue",
  "worker",
  "config",
  "state",
  "event",
  "types",
];
const UNICODE_WORDS = ["ünïcødé", "日本語", "café", "naïve", "émoji-🚀", "Straße"];
const EXTENSIONS: Record<FileKind, readonly string[]> = {
  text: ["ts", "ts", "ts", "js", "md", "json", "py", "go", "css", "html", "yml", "txt", "rs", "java"],
  large: ["json", "js", "csv", "txt", "svg"],
  huge: ["json", "js", "csv", "txt"],
  binary: ["png", "jpg", "woff2", "bin", "gz", "pdf", "ico"],
  empty: ["txt", "py", "md"],
  symlink: [""],
  executable: ["sh", "py", ""],
  duplicate: [""],
};
/** Files that repositories copy into many folders: each name always has the same content. */
export const DUPLICATE_NAMES = ["LICENSE", ".editorconfig", ".gitignore", "CODEOWNERS", "tsconfig.base.json"];

/**
 * The paths and kinds of `count` files in a deep, wide layout: up to 6 folder levels, each folder with 20–200
 * entries (mostly nearer 20), a fraction of them sub-folders sharing the remaining files unevenly.
 */
export function planFiles(random: Random, count: number): PlannedFile[] {
  const folders: Folder[] = [];
  layOut(random, count, "", 0, folders);
  const kinds = Array.from({ length: count }, () => pickKind(random));
  const styles: NameStyle[] = Array.from({ length: count }, () =>
    random.chance(0.003) ? "space" : random.chance(0.003) ? "unicode" : "plain",
  );
  const unicodeContent = Array.from({ length: count }, () => random.chance(0.05));
  if (count >= GUARANTEED_FROM) {
    const slots = distinctIndexes(random, count, GUARANTEED.length);
    GUARANTEED.forEach((item, index) => {
      const slot = slots[index] as number;
      kinds[slot] = item.kind;
      styles[slot] = item.style;
      unicodeContent[slot] = item.unicodeContent ?? false;
    });
  }
  const planned: PlannedFile[] = [];
  for (const folder of folders) {
    const { taken } = folder;
    for (let index = 0; index < folder.files; index += 1) {
      const slot = planned.length;
      const kind = kinds[slot] as FileKind;
      const name = uniqueName(taken, fileName(random, kind, styles[slot] as NameStyle));
      planned.push({ path: `${folder.dir}${name}`, kind, unicodeContent: unicodeContent[slot] as boolean });
    }
  }
  return planned;
}

/** A folder's path (with trailing "/"), how many files it gets, and the names its sub-folders took. */
type Folder = { dir: string; files: number; taken: Set<string> };

function layOut(random: Random, budget: number, dir: string, depth: number, out: Folder[]) {
  const entries = MIN_ENTRIES + Math.floor((MAX_ENTRIES - MIN_ENTRIES) * random.next() ** 3);
  const taken = new Set<string>();
  if (budget <= entries || depth >= MAX_DEPTH) {
    out.push({ dir, files: budget, taken });
    return;
  }
  const wanted = Math.max(1, Math.round(entries * (0.1 + 0.3 * random.next())));
  const files = entries - wanted;
  const remaining = budget - files;
  const subdirs = Math.min(wanted, remaining);
  out.push({ dir, files, taken });
  const weights = Array.from({ length: subdirs }, () => random.next() ** 2 + 0.02);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const shares = weights.map((weight) => 1 + Math.floor(((remaining - subdirs) * weight) / weightSum));
  shares[0] = (shares[0] as number) + remaining - shares.reduce((sum, share) => sum + share, 0);
  shares.forEach((share, index) => {
    const word =
      index < 3 && depth === 0 ? (["src", "docs", "test"][index] as string) : random.pick(DIR_WORDS);
    layOut(random, share, `${dir}${uniqueName(taken, word)}/`, depth + 1, out);
  });
}

function pickKind(random: Random): FileKind {
  let roll = random.next();
  for (const [kind, share] of KIND_SHARES) {
    if (roll < share) return kind;
    roll -= share;
  }
  return "text";
}

function fileName(random: Random, kind: FileKind, style: NameStyle): string {
  if (kind === "duplicate") return random.pick(DUPLICATE_NAMES);
  if (kind === "symlink") return `link-to-${random.pick(NAME_WORDS)}`;
  const extension = random.pick(EXTENSIONS[kind]);
  const suffix = extension ? `.${extension}` : "";
  const word = random.pick(NAME_WORDS);
  const other = random.pick(NAME_WORDS);
  if (style === "space") return `${word} ${other} notes${suffix}`;
  if (style === "unicode") return `${random.pick(UNICODE_WORDS)}-${word}${suffix}`;
  return random.chance(0.5)
    ? `${word}-${other}${suffix}`
    : `${word}${other.charAt(0).toUpperCase()}${other.slice(1)}${suffix}`;
}

function uniqueName(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let counter = 2; taken.has(candidate); counter += 1) {
    const dot = name.lastIndexOf(".");
    candidate = dot > 0 ? `${name.slice(0, dot)}-${counter}${name.slice(dot)}` : `${name}-${counter}`;
  }
  taken.add(candidate);
  return candidate;
}

function distinctIndexes(random: Random, count: number, wanted: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(wanted, count)) chosen.add(random.int(0, count - 1));
  return [...chosen];
}
