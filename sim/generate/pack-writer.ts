import { createHash } from "node:crypto";
import { type FileHandle, open, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as zlib from "node:zlib";

export type GitObjectKind = "blob" | "tree" | "commit";

/** Writes git objects straight into a new pack of a repository. */
export type PackWriter = {
  /** adds an object (once per SHA) and returns its SHA as 40 hex characters */
  add(kind: GitObjectKind, data: Buffer): Promise<string>;
  /** writes the pack trailer and its .idx into objects/pack/; the objects are then readable by git */
  finish(): Promise<void>;
};

const TYPE_CODES: Record<GitObjectKind, number> = { commit: 1, tree: 2, blob: 3 };
const FLUSH_BYTES = 8 * 1024 * 1024;
// Deflate "stored" blocks hold at most this many bytes each.
const STORED_BLOCK = 65_535;

/**
 * A pack writer for generated repositories, where `git fast-import` is the bottleneck: it spends most of its time in
 * git's collision-detecting SHA-1 (three passes over every byte). Here each object is hashed once with OpenSSL's
 * SHA-1 and stored uncompressed (zlib "stored" blocks: valid zlib streams, no deflate cost), and the .idx (version 2)
 * is written directly. The pack is larger on disk than git's own; git reads it as any other pack.
 * @example const pack = await createPackWriter(gitDir); const sha = await pack.add("blob", bytes); await pack.finish();
 */
export async function createPackWriter(gitDir: string): Promise<PackWriter> {
  const packDir = join(gitDir, "objects", "pack");
  const temporary = join(packDir, `tmp_pack_sim_${process.pid}_${Date.now()}`);
  const file = await open(temporary, "w+");
  const objects = new Map<string, { offset: number; crc: number }>();
  let offset = 12;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // The object count in the header is filled in at the end, so the pack's checksum is computed then.
  pending.push(Buffer.alloc(12));
  pendingBytes = 12;

  const flush = async () => {
    if (pending.length === 0) return;
    const chunks = pending;
    pending = [];
    pendingBytes = 0;
    await file.writev(chunks);
  };

  return {
    async add(kind, data) {
      const sha = createHash("sha1").update(`${kind} ${data.length}\0`).update(data).digest("hex");
      if (objects.has(sha)) return sha;
      const pieces = [objectHeader(TYPE_CODES[kind], data.length), ...storedZlib(data)];
      let crc = 0;
      let size = 0;
      for (const piece of pieces) {
        crc = crc32(piece, crc);
        size += piece.length;
      }
      objects.set(sha, { offset, crc });
      offset += size;
      pending.push(...pieces);
      pendingBytes += size;
      if (pendingBytes >= FLUSH_BYTES) await flush();
      return sha;
    },

    async finish() {
      await flush();
      const header = Buffer.alloc(12);
      header.write("PACK", 0, "latin1");
      header.writeUInt32BE(2, 4);
      header.writeUInt32BE(objects.size, 8);
      await file.write(header, 0, 12, 0);
      const packSha = await hashFile(file, offset);
      await file.write(packSha, 0, packSha.length, offset);
      await file.close();
      const name = `pack-${packSha.toString("hex")}`;
      await rename(temporary, join(packDir, `${name}.pack`));
      await writeFile(join(packDir, `${name}.idx`), packIndex(objects, packSha));
    },
  };
}

/** The type-and-size header of a packed object: 3 type bits, then the size 4 + 7·n bits at a time. */
function objectHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/** `data` as a zlib stream of stored (uncompressed) deflate blocks; `data` itself is not copied. */
function storedZlib(data: Buffer): Buffer[] {
  const pieces: Buffer[] = [Buffer.from([0x78, 0x01])];
  let start = 0;
  do {
    const length = Math.min(STORED_BLOCK, data.length - start);
    const final = start + length >= data.length;
    const block = Buffer.alloc(5);
    block[0] = final ? 1 : 0;
    block.writeUInt16LE(length, 1);
    block.writeUInt16LE(~length & 0xffff, 3);
    pieces.push(block);
    // An empty piece is left out: on Node 20, zlib.crc32 of an empty view of an empty buffer returns 0, not the
    // running value.
    if (length > 0) pieces.push(data.subarray(start, start + length));
    start += length;
  } while (start < data.length);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler32(data), 0);
  pieces.push(trailer);
  return pieces;
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  const length = data.length;
  let index = 0;
  while (index < length) {
    // Reduced every 3,800 bytes, both sums stay within 32-bit integers, which V8 runs fastest.
    const end = Math.min(index + 3800, length);
    for (; index < end; index += 1) {
      a = (a + (data[index] as number)) | 0;
      b = (b + a) | 0;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const crc32: (data: Buffer, value: number) => number =
  typeof zlib.crc32 === "function" ? (data, value) => zlib.crc32(data, value) : crc32Fallback;

let crcTable: Uint32Array | undefined;

/** CRC-32 for Node releases before zlib.crc32 (20.15). */
function crc32Fallback(data: Buffer, value: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

async function hashFile(file: FileHandle, length: number): Promise<Buffer> {
  const hash = createHash("sha1");
  const buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  for (let position = 0; position < length; ) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, length - position), position);
    if (bytesRead === 0) throw new Error("pack file ended early while hashing");
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest();
}

/** A version 2 pack index: fan-out table, sorted SHAs, CRCs, offsets (64-bit ones past 2 GiB), checksums. */
function packIndex(objects: Map<string, { offset: number; crc: number }>, packSha: Buffer): Buffer {
  const shas = [...objects.keys()].sort();
  const count = shas.length;
  const large = shas.filter((sha) => (objects.get(sha)?.offset ?? 0) >= 0x80000000);
  const index = Buffer.alloc(8 + 256 * 4 + count * 28 + large.length * 8 + 40);
  index.writeUInt32BE(0xff744f63, 0);
  index.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (const sha of shas) {
    const first = Number.parseInt(sha.slice(0, 2), 16);
    fanout[first] = (fanout[first] as number) + 1;
  }
  let running = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    running += fanout[byte] as number;
    index.writeUInt32BE(running, 8 + byte * 4);
  }
  const shaStart = 8 + 1024;
  const crcStart = shaStart + count * 20;
  const offsetStart = crcStart + count * 4;
  const largeStart = offsetStart + count * 4;
  let largeIndex = 0;
  shas.forEach((sha, position) => {
    const { offset, crc } = objects.get(sha) as { offset: number; crc: number };
    index.write(sha, shaStart + position * 20, "hex");
    index.writeUInt32BE(crc, crcStart + position * 4);
    if (offset < 0x80000000) {
      index.writeUInt32BE(offset, offsetStart + position * 4);
    } else {
      index.writeUInt32BE((0x80000000 | largeIndex) >>> 0, offsetStart + position * 4);
      index.writeBigUInt64BE(BigInt(offset), largeStart + largeIndex * 8);
      largeIndex += 1;
    }
  });
  const trailerStart = largeStart + large.length * 8;
  packSha.copy(index, trailerStart);
  createHash("sha1")
    .update(index.subarray(0, trailerStart + 20))
    .digest()
    .copy(index, trailerStart + 20);
  return index;
}
