import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { type ExtractEvents, extract as extractTar } from "tar-stream";
import { AppError, isAppError } from "../errors.js";
import { createGitBlobHash } from "./create-git-blob-hash.js";
import { decodeUtf8Text } from "./decode-utf8-text.js";
import { downloadStream } from "./download-stream.js";
import { gitBlobSha } from "./git-blob-sha.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { BlobContent, GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchRepoArchiveOptions = RepoParams & {
  client: GitHubClient;
  /** the commit whose files to read: a full SHA, so the archive cannot move under a sync the way a branch can */
  ref: string;
  /** path → blob the caller needs, from the commit's tree; every other archive entry is skipped unread */
  wanted: ReadonlyMap<string, { sha: string; mode: string }>;
  /** larger files are hashed as they stream past but not kept, and come back as omitted: "too_large" */
  maxFileSizeBytes: number;
  /** a yielded batch holds at most this much text (a single larger file gets a batch of its own); default 4 MiB */
  batchBytes?: number;
  /** and at most this many blobs; default 1000 */
  batchCount?: number;
};

export type FetchRepoArchiveResult = {
  /**
   * Wanted blob SHAs the archive did not deliver intact, for the caller to fetch another way: paths left out by
   * export-ignore, content rewritten by export-subst or smudged from a Git LFS pointer, submodules.
   */
  missing: string[];
};

const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
const DEFAULT_BATCH_COUNT = 1000;

/**
 * The wanted blobs of a commit from ONE download of its tarball, streamed: gunzipped and unpacked entry by entry,
 * each file checked against its git SHA, yielded in batches the caller stores and drops; the archive is never held
 * whole. Each distinct SHA is yielded once; the generator's return value lists the ones never found.
 * @example const archive = fetchRepoArchive({ client, owner, repo, ref: headSha, wanted, maxFileSizeBytes });
 *   let step = await archive.next(); while (!step.done) { await save(step.value); step = await archive.next(); }
 *   await fetchTheRest(step.value.missing);
 */
export async function* fetchRepoArchive(
  options: FetchRepoArchiveOptions,
): AsyncGenerator<BlobContent[], FetchRepoArchiveResult> {
  const { client, owner, repo, ref, wanted, maxFileSizeBytes } = options;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const batchCount = options.batchCount ?? DEFAULT_BATCH_COUNT;
  if (!gitShaSchema.safeParse(ref).success) {
    throw new AppError(
      "BAD_INPUT",
      `"${ref}" is not a commit SHA (40 lowercase hex characters); resolve the branch to its head commit first.`,
    );
  }
  const what = `archive of commit ${ref} in ${owner}/${repo}`;

  const source = await downloadArchive({ client, owner, repo, ref, what });
  const gunzip = createGunzip();
  const entries = extractTar();
  // Whichever stream fails first is the cause; the pipeline then destroys the others with the same error.
  let failedIn: "download" | "archive" | undefined;
  source.on("error", () => {
    failedIn ??= "download";
  });
  for (const stream of [gunzip, entries]) {
    stream.on("error", () => {
      failedIn ??= "archive";
    });
  }
  const piped = pipeline(source, gunzip, entries);
  // A failure also reaches the entry loop below, and stopping early rejects this with a premature close.
  piped.catch(() => {});

  const pending = new Set([...wanted.values()].map((blob) => blob.sha));
  let batch: BlobContent[] = [];
  let bytes = 0;
  try {
    for await (const entry of entries) {
      const blob = await readWantedBlob(entry, { wanted, pending, maxFileSizeBytes });
      if (blob === undefined) continue;
      pending.delete(blob.sha);
      const size = blob.content === null ? 0 : blob.size;
      if (batch.length > 0 && bytes + size > batchBytes) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push(blob);
      bytes += size;
      if (batch.length >= batchCount) {
        yield batch;
        batch = [];
        bytes = 0;
      }
    }
    await piped;
  } catch (error) {
    throw failedIn === "archive" && !isAppError(error)
      ? new AppError(
          "GITHUB_INVALID_RESPONSE",
          `GitHub sent a corrupt ${what} (${messageOf(error)}); run the sync again, or read the files through the API.`,
          { cause: error },
        )
      : mapGitHubError(error, { what, notFound: "COMMIT_NOT_FOUND" });
  } finally {
    // Stopped early or failed: cancel the download so its connection is released, not left to drain.
    source.destroy();
    gunzip.destroy();
    entries.destroy();
  }
  if (batch.length > 0) yield batch;
  return { missing: [...pending] };
}

async function downloadArchive(
  options: RepoParams & { client: GitHubClient; ref: string; what: string },
): Promise<Readable> {
  const { client, owner, repo, ref, what } = options;
  let response: { status: number; headers: Record<string, unknown>; data: unknown };
  try {
    // GitHub answers 302 to codeload.github.com (the URL carries a short-lived token, so no Authorization header
    // follows it): the redirect is taken by hand and the archive read through node:http (see downloadStream).
    response = await client.request("GET /repos/{owner}/{repo}/tarball/{ref}", {
      owner,
      repo,
      ref,
      request: { parseSuccessResponseBody: false, redirect: "manual" },
    });
  } catch (error) {
    throw mapGitHubError(error, { what, notFound: "COMMIT_NOT_FOUND" });
  }
  const location = response.headers.location;
  if (response.status >= 300 && response.status < 400 && typeof location === "string") {
    // the redirect's own body (empty or a line of HTML) is read to its end so its connection is released
    if (response.data instanceof ReadableStream)
      await response.data.pipeTo(new WritableStream()).catch(() => undefined);
    return downloadStream(location, { what });
  }
  const data = response.data;
  if (data instanceof ReadableStream) return Readable.fromWeb(data);
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return Readable.from([new Uint8Array(data)]);
  throw new AppError(
    "GITHUB_INVALID_RESPONSE",
    `GitHub sent the ${what} as ${typeof data}, expected a stream.`,
  );
}

/** One file, directory or link of the archive: its tar header and a stream of its bytes. */
type Entry = ExtractEvents["entry"][1];

type ReadContext = {
  wanted: ReadonlyMap<string, { sha: string }>;
  /** wanted SHAs not yielded yet */
  pending: ReadonlySet<string>;
  maxFileSizeBytes: number;
};

/**
 * The entry's blob when the caller still wants it and its bytes hash to the wanted SHA. The entry is consumed either
 * way: the archive only moves on once it is.
 */
async function readWantedBlob(entry: Entry, context: ReadContext): Promise<BlobContent | undefined> {
  const { header } = entry;
  const sha = context.wanted.get(stripPrefix(header.name))?.sha;
  if (
    sha === undefined ||
    !context.pending.has(sha) ||
    (header.type !== "file" && header.type !== "symlink")
  ) {
    entry.resume();
    return undefined;
  }
  if (header.type === "symlink") {
    entry.resume();
    // git stores a symlink as a blob holding its target
    const target = Buffer.from(header.linkname ?? "", "utf8");
    return gitBlobSha(target) === sha ? toContent(sha, target, context.maxFileSizeBytes) : undefined;
  }
  const size = header.size ?? 0;
  const keep = size <= context.maxFileSizeBytes;
  const hash = createGitBlobHash(size);
  const chunks: Buffer[] = [];
  // tar-stream types entry chunks as unknown; they are Buffers
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (keep) chunks.push(chunk);
  }
  if (hash.digest("hex") !== sha) return undefined;
  return keep ? toContent(sha, Buffer.concat(chunks), context.maxFileSizeBytes) : tooLarge(sha, size);
}

/** `owner-repo-abc1234/src/index.ts` → `src/index.ts`: every entry of a GitHub tarball sits in one top folder. */
function stripPrefix(name: string): string {
  const slash = name.indexOf("/");
  return slash === -1 ? "" : name.slice(slash + 1);
}

function toContent(sha: string, bytes: Uint8Array, maxFileSizeBytes: number): BlobContent {
  if (bytes.byteLength > maxFileSizeBytes) return tooLarge(sha, bytes.byteLength);
  const content = decodeUtf8Text(bytes);
  return content === null
    ? { sha, size: bytes.byteLength, isBinary: true, content: null, omitted: "binary" }
    : { sha, size: bytes.byteLength, isBinary: false, content, omitted: null };
}

function tooLarge(sha: string, size: number): BlobContent {
  return { sha, size, isBinary: false, content: null, omitted: "too_large" };
}

// zlib's errors come from Node's own realm, where `instanceof Error` can fail (under Jest's VM, for one).
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
