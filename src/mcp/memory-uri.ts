import { AppError } from "../errors.js";

/**
 * `memory://{owner}/{repo}/{branch}/{path}`: one file of a branch's current memory. The branch is one segment
 * (percent-encoded: `feature%2Fx`), the path keeps its slashes with each segment percent-encoded.
 */
export const MEMORY_URI_TEMPLATE = "memory://{owner}/{repo}/{branch}/{+path}";

/** `project-sync://syncs/{syncId}/changes`: what one successful sync changed. */
export const SYNC_CHANGES_URI_TEMPLATE = "project-sync://syncs/{syncId}/changes";

export type MemoryAddress = { owner: string; repo: string; branch: string; path: string };

const encode = (segment: string) => encodeURIComponent(segment).replaceAll(",", "%2C");

export function memoryUri(address: MemoryAddress): string {
  const path = address.path.split("/").map(encode).join("/");
  return `memory://${encode(address.owner)}/${encode(address.repo)}/${encode(address.branch)}/${path}`;
}

export function syncChangesUri(syncId: string): string {
  return `project-sync://syncs/${syncId}/changes`;
}

/** A memory URI's parts; BAD_INPUT when it is not one. */
export function parseMemoryUri(uri: string): MemoryAddress {
  const match = /^memory:\/\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) {
    throw new AppError(
      "BAD_INPUT",
      `"${uri.slice(0, 200)}" is not a memory URI: memory://{owner}/{repo}/{branch}/{path}, the branch percent-encoded.`,
    );
  }
  try {
    const [, owner = "", repo = "", branch = "", path = ""] = match;
    return {
      owner: decodeURIComponent(owner),
      repo: decodeURIComponent(repo),
      branch: decodeURIComponent(branch),
      path: path.split("/").map(decodeURIComponent).join("/"),
    };
  } catch {
    throw new AppError("BAD_INPUT", "The memory URI holds a malformed percent-encoding.");
  }
}
