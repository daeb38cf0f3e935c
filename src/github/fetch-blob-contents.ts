import { z } from "zod";
import { AppError } from "../errors.js";
import { blobQueryAlias, buildBlobQuery } from "./build-blob-query.js";
import { createLimiter } from "./create-limiter.js";
import { decodeUtf8Text } from "./decode-utf8-text.js";
import { fetchRawBlob } from "./fetch-raw-blob.js";
import { gitBlobSha } from "./git-blob-sha.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { BlobContent, GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";
import { planBlobBatches } from "./plan-blob-batches.js";

export type FetchBlobContentsOptions = RepoParams & {
  client: GitHubClient;
  /** the blobs to read, with their size from the tree listing */
  blobs: readonly { sha: string; size: number }[];
  /** larger blobs are not fetched at all and come back as omitted: "too_large" */
  maxFileSizeBytes: number;
};

// One GraphQL query carries at most this many blobs and about this much text, so a response stays well under
// GitHub's timeouts and a batch's memory stays bounded.
const MAX_BLOBS_PER_QUERY = 100;
const MAX_BYTES_PER_QUERY = 4 * 1024 * 1024;
// Raw downloads of blobs whose GraphQL text was truncated, run side by side within one batch.
const RAW_CONCURRENCY = 4;
// Raw downloads (text GraphQL truncated or altered) held in memory at once, at most (one larger file alone).
const MAX_RAW_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

const blobSchema = z.object({
  oid: gitShaSchema,
  byteSize: z.number().int().nonnegative(),
  // null when GitHub cannot tell the encoding
  isBinary: z.boolean().nullable(),
  isTruncated: z.boolean(),
  text: z.string().nullable(),
});

const querySchema = z.object({
  // an alias is null when the object does not exist (and {}, failing validation, when it is not a blob)
  repository: z.record(z.string(), blobSchema.nullable()),
});

type GraphqlBlob = z.infer<typeof blobSchema>;

/**
 * Blob contents, one yielded batch per GraphQL query so a caller can store each batch and drop it. Each distinct SHA
 * is yielded once. Binary blobs, text with NUL and invalid UTF-8 come back as omitted: "binary"; text GitHub truncated
 * (over 512,000 bytes) or altered is read raw and checked against its SHA.
 * @example for await (const batch of fetchBlobContents({ client, owner, repo, blobs, maxFileSizeBytes })) await save(batch)
 */
export async function* fetchBlobContents(options: FetchBlobContentsOptions): AsyncGenerator<BlobContent[]> {
  const { client, owner, repo, maxFileSizeBytes } = options;
  const blobs = uniqueBySha(options.blobs);
  for (const blob of blobs) {
    if (!gitShaSchema.safeParse(blob.sha).success) {
      throw new AppError("BAD_INPUT", `"${blob.sha}" is not a git blob SHA (40 lowercase hex characters).`);
    }
  }
  const tooLarge = blobs.filter((blob) => blob.size > maxFileSizeBytes);
  if (tooLarge.length > 0) yield tooLarge.map((blob) => omittedTooLarge(blob.sha, blob.size));

  const wanted = blobs.filter((blob) => blob.size <= maxFileSizeBytes);
  const limit = createLimiter(RAW_CONCURRENCY);
  for (const batch of planBlobBatches(wanted, {
    maxCount: MAX_BLOBS_PER_QUERY,
    maxBytes: MAX_BYTES_PER_QUERY,
  })) {
    let found: GraphqlBlob[];
    try {
      found = await queryBlobs({ client, owner, repo, shas: batch.map((blob) => blob.sha) });
    } catch (error) {
      throw mapGitHubError(error, {
        what: `file contents of ${owner}/${repo}`,
        notFound: "REPOSITORY_NOT_FOUND",
      });
    }
    const ready: BlobContent[] = [];
    const raw: (GraphqlBlob & { size: number })[] = [];
    for (const blob of found) {
      if (blob.byteSize > maxFileSizeBytes) ready.push(omittedTooLarge(blob.oid, blob.byteSize));
      else {
        const content = textIfIntact(blob);
        if (content !== undefined) ready.push(toContent(blob.oid, blob.byteSize, content));
        else raw.push({ ...blob, size: blob.byteSize });
      }
    }
    if (ready.length > 0) yield ready;
    // Sizes are known only now (a compare lists none, so the query's batch could not be bounded by them): the raw
    // downloads are grouped by bytes, so a raised size cap never holds more than this in memory at once.
    for (const group of planBlobBatches(raw, {
      maxCount: MAX_BLOBS_PER_QUERY,
      maxBytes: MAX_RAW_BYTES_IN_FLIGHT,
    })) {
      try {
        yield await Promise.all(
          group.map((blob) =>
            limit(async () => {
              const bytes = await fetchRawBlob({ client, owner, repo, sha: blob.oid });
              return toContent(blob.oid, blob.byteSize, decodeUtf8Text(bytes));
            }),
          ),
        );
      } catch (error) {
        throw mapGitHubError(error, {
          what: `file contents of ${owner}/${repo}`,
          notFound: "REPOSITORY_NOT_FOUND",
        });
      }
    }
  }
}

/**
 * The blob's text when GraphQL gave all of it unaltered, null when it is binary, undefined when only the raw bytes
 * can tell (truncated text, unknown encoding, or text that does not hash back to the blob, e.g. transcoded Latin-1).
 */
function textIfIntact(blob: GraphqlBlob): string | null | undefined {
  if (blob.isBinary === true) return null;
  if (blob.isTruncated || blob.isBinary === null || blob.text === null) return undefined;
  if (blob.text.includes("\u0000")) return null;
  if (gitBlobSha(Buffer.from(blob.text, "utf8")) !== blob.oid) return undefined;
  return blob.text;
}

async function queryBlobs(
  options: RepoParams & { client: GitHubClient; shas: string[] },
): Promise<GraphqlBlob[]> {
  const { client, owner, repo, shas } = options;
  // SHAs are inlined (validated as hex above)
  const data = querySchema.parse(await client.graphql(buildBlobQuery(shas), { owner, name: repo }));
  return shas.map((sha, index) => {
    const blob = data.repository[blobQueryAlias(index)];
    if (!blob || blob.oid !== sha) {
      throw new AppError(
        "GITHUB_INVALID_RESPONSE",
        `GitHub returned no blob ${sha} for ${owner}/${repo}: the tree listed it, but GitHub cannot find the object.`,
      );
    }
    return blob;
  });
}

function toContent(sha: string, size: number, content: string | null): BlobContent {
  return content === null
    ? { sha, size, isBinary: true, content: null, omitted: "binary" }
    : { sha, size, isBinary: false, content, omitted: null };
}

function omittedTooLarge(sha: string, size: number): BlobContent {
  return { sha, size, isBinary: false, content: null, omitted: "too_large" };
}

function uniqueBySha<T extends { sha: string }>(blobs: readonly T[]): T[] {
  const bySha = new Map<string, T>();
  for (const blob of blobs) if (!bySha.has(blob.sha)) bySha.set(blob.sha, blob);
  return [...bySha.values()];
}
