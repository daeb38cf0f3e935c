import { createRandom, type Random } from "./seeded-random.js";

const WORDS = [
  "alpha",
  "beta",
  "gamma",
  "delta",
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
  "handler",
  "router",
  "client",
  "server",
  "token",
  "limit",
  "batch",
  "stream",
  "buffer",
  "parse",
  "render",
  "filter",
  "merge",
  "index",
  "value",
  "result",
  "error",
  "option",
  "record",
  "schema",
  "model",
  "view",
  "store",
  "fetch",
  "load",
  "save",
  "apply",
  "check",
  "build",
  "plan",
  "node",
  "path",
  "file",
  "page",
  "item",
  "list",
  "map",
  "set",
  "key",
  "size",
  "count",
  "total",
  "range",
];

/** Pools of text and random bytes that generated files are cut from, so generating 100,000 files stays cheap. */
export type ContentPools = { text: Buffer; binary: Buffer; words: readonly string[] };

const TEXT_POOL_BYTES = 2 * 1024 * 1024;
const BINARY_POOL_BYTES = 1024 * 1024;
// PNG's signature and the start of its header chunk: NUL bytes early, as git's binary check looks for.
const BINARY_MAGIC = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);

const cachedPools = new Map<number, ContentPools>();
const CACHED_SEEDS = 4;

/** The pools for a seed: ~2 MiB of ASCII source-like lines and 1 MiB of random bytes (built once per seed). */
export function createContentPools(seed: number): ContentPools {
  const cached = cachedPools.get(seed);
  if (cached) return cached;
  const pools = buildPools(seed);
  if (cachedPools.size >= CACHED_SEEDS) cachedPools.delete(cachedPools.keys().next().value as number);
  cachedPools.set(seed, pools);
  return pools;
}

function buildPools(seed: number): ContentPools {
  const random = createRandom(seed ^ 0x5eed);
  const lines: string[] = [];
  let length = 0;
  while (length < TEXT_POOL_BYTES) {
    const line = sourceLine(random);
    lines.push(line);
    length += line.length + 1;
  }
  const binary = Buffer.allocUnsafe(BINARY_POOL_BYTES);
  for (let offset = 0; offset < BINARY_POOL_BYTES; offset += 4) {
    binary.writeUInt32LE(Math.floor(random.next() * 4294967296), offset);
  }
  return { text: Buffer.from(`${lines.join("\n")}\n`, "latin1"), binary, words: WORDS };
}

/**
 * Text of exactly `size` bytes (when size allows the header): a header line unique to `tag`, so no two generated
 * files share a blob by accident, then lines cut from the pool at a random offset. With `unicode` the header holds
 * non-ASCII characters (valid UTF-8; the pool after it is ASCII, so no character is cut in two).
 */
export function textContent(
  pools: ContentPools,
  random: Random,
  size: number,
  tag: string,
  unicode = false,
): Buffer {
  const header = Buffer.from(`// sim ${tag}${unicode ? " — Grüße, ünïcødé ✓ 日本語 🚀" : ""}\n`, "utf8");
  return fill(header, pools.text, random, size);
}

/** Binary bytes of `size` (at least the header): PNG-like magic with NULs, a unique tag, then random bytes. */
export function binaryContent(pools: ContentPools, random: Random, size: number, tag: string): Buffer {
  const header = Buffer.concat([BINARY_MAGIC, Buffer.from(`sim ${tag}\0`, "latin1")]);
  return fill(header, pools.binary, random, Math.max(size, header.length));
}

function fill(header: Buffer, pool: Buffer, random: Random, size: number): Buffer {
  if (size <= header.length) return Buffer.from(header);
  const out = Buffer.allocUnsafe(size);
  header.copy(out, 0);
  let written = header.length;
  let offset = random.int(0, pool.length - 1);
  while (written < size) {
    const take = Math.min(size - written, pool.length - offset);
    pool.copy(out, written, offset, offset + take);
    written += take;
    offset = 0;
  }
  return out;
}

function sourceLine(random: Random): string {
  const word = () => random.pick(WORDS);
  const name = () => `${word()}${capitalize(word())}`;
  const indent = " ".repeat(2 * random.int(0, 4));
  switch (random.int(0, 9)) {
    case 0:
      return `import { ${name()}, ${name()} } from "./${word()}/${word()}.js";`;
    case 1:
      return `${indent}const ${name()} = ${name()}(${word()}, ${random.int(0, 9999)});`;
    case 2:
      return `${indent}// ${word()} ${word()} ${word()} ${word()} ${word()} ${word()}`;
    case 3:
      return `${indent}export function ${name()}(${word()}: ${capitalize(word())}): ${capitalize(word())} {`;
    case 4:
      return `${indent}}`;
    case 5:
      return `${indent}if (${word()}.${word()} > ${random.int(0, 500)}) return ${name()}(${word()});`;
    case 6:
      return `${indent}return { ${word()}: ${word()}, ${word()}: "${word()}-${random.int(0, 99)}" };`;
    case 7:
      return "";
    case 8:
      return `${indent}${word()}.${word()}(${JSON.stringify(`${word()} ${word()}`)}, ${random.int(0, 1) ? "true" : "false"});`;
    default:
      return `${indent}let ${name()}: ${capitalize(word())}[] = [${random.int(0, 99)}, ${random.int(0, 99)}];`;
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
