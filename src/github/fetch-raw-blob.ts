import { AppError } from "../errors.js";
import { gitBlobSha } from "./git-blob-sha.js";
import type { GitHubClient, RepoParams } from "./github-client.js";

export type FetchRawBlobOptions = RepoParams & { client: GitHubClient; sha: string };

/**
 * A blob's exact bytes (`GET /git/blobs/{sha}` as application/vnd.github.raw), checked against the SHA so a proxy or
 * a decoding step cannot hand us altered content. Errors are left to the caller to map.
 */
export async function fetchRawBlob(options: FetchRawBlobOptions): Promise<Uint8Array> {
  const { client, owner, repo, sha } = options;
  const response = await client.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
    owner,
    repo,
    file_sha: sha,
    headers: { accept: "application/vnd.github.raw" },
    // Unparsed, Octokit hands over the fetch body stream: otherwise a "charset=utf-8" content type would make it
    // decode the bytes as text and replace invalid sequences.
    request: { parseSuccessResponseBody: false },
  });
  const bytes = await toBytes(response.data as unknown);
  const actual = gitBlobSha(bytes);
  if (actual !== sha) {
    throw new AppError(
      "GITHUB_INVALID_RESPONSE",
      `GitHub sent content for blob ${sha} in ${owner}/${repo} whose git SHA is ${actual}; the content was altered on the way.`,
    );
  }
  return bytes;
}

async function toBytes(data: unknown): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof ReadableStream) return new Uint8Array(await new Response(data).arrayBuffer());
  if (data === null || data === undefined || data === "") return new Uint8Array(0);
  throw new AppError("GITHUB_INVALID_RESPONSE", `GitHub sent a raw blob as ${typeof data}, expected bytes.`);
}
