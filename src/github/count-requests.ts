import type { GitHubClient } from "./github-client.js";

export type RequestStats = {
  /** REST and GraphQL calls made, failed ones included */
  requests: number;
  /** response body bytes received: exact for raw downloads, re-serialized JSON size for parsed responses */
  bytes: number;
};

export type CountedClient = { client: GitHubClient; stats(): RequestStats };

/**
 * A client that counts every call it passes on, so a sync can record how many GitHub requests it cost.
 * @example const counted = countRequests(octokit); await runSync({ github: counted.client }); counted.stats()
 */
export function countRequests(client: GitHubClient): CountedClient {
  let requests = 0;
  let bytes = 0;
  const countBytes = (chunk: { byteLength: number }) => {
    bytes += chunk.byteLength;
  };

  const request = async (route: unknown, parameters?: unknown) => {
    requests += 1;
    const call = client.request as unknown as (
      route: unknown,
      parameters?: unknown,
    ) => Promise<{ data: unknown }>;
    const response = await call(route, parameters);
    // An unparsed body (raw blob download) is a stream: count it as the reader consumes it.
    if (response.data instanceof ReadableStream) {
      return { ...response, data: response.data.pipeThrough(countingStream(countBytes)) };
    }
    bytes += sizeOf(response.data);
    return response;
  };

  const graphql = async (query: unknown, variables?: unknown) => {
    requests += 1;
    const call = client.graphql as unknown as (query: unknown, variables?: unknown) => Promise<unknown>;
    const data = await call(query, variables);
    bytes += sizeOf(data);
    return data;
  };

  return {
    client: { request, graphql } as unknown as GitHubClient,
    stats: () => ({ requests, bytes }),
  };
}

function countingStream(
  count: (chunk: { byteLength: number }) => void,
): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      count(chunk);
      controller.enqueue(chunk);
    },
  });
}

function sizeOf(data: unknown): number {
  if (data === undefined || data === null) return 0;
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  // Octokit parses big numbers as BigInt, which JSON.stringify refuses.
  return Buffer.byteLength(
    JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? String(value) : value)),
  );
}
