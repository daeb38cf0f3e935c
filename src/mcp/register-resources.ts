import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "../errors.js";
import { compareWithPrevious } from "../service/compare-syncs.js";
import { readMemoryFileAt } from "../service/read-memory.js";
import { briefChange, comparisonFrame } from "./brief-views.js";
import type { McpDeps } from "./mcp-deps.js";
import { MEMORY_URI_TEMPLATE, parseMemoryUri, SYNC_CHANGES_URI_TEMPLATE } from "./memory-uri.js";
import { resolveRepository } from "./resolve-repository.js";
import { fitPage, MAX_RESULT_CHARS } from "./result-cap.js";
import { toMcpError } from "./tool-error.js";

/**
 * The resources: a file of a branch's current memory (a template; subscribe to hear when a sync changes it), and
 * what one successful sync changed. Reads are bounded like tool results: a file over the cap is refused with the
 * way to read it in parts (read_file's line ranges).
 */
export function registerResources(server: McpServer, deps: McpDeps): void {
  server.registerResource(
    "memory-file",
    new ResourceTemplate(MEMORY_URI_TEMPLATE, { list: undefined }),
    {
      title: "A file of a branch's memory",
      description:
        "memory://{owner}/{repo}/{branch}/{path}: the file's text in the branch's current memory (branch percent-encoded, e.g. feature%2Fx). Subscribe to be notified when a sync changes it.",
      mimeType: "text/plain",
    },
    (uri) => guarded(() => readMemoryResource(deps, uri.href)),
  );
  server.registerResource(
    "sync-changes",
    new ResourceTemplate(SYNC_CHANGES_URI_TEMPLATE, { list: undefined }),
    {
      title: "What a sync changed",
      description:
        "project-sync://syncs/{syncId}/changes: the paths one successful sync changed against its branch's previous sync (JSON; the first page — the compare tool pages on).",
      mimeType: "application/json",
    },
    (uri, variables) => guarded(() => readSyncChanges(deps, uri.href, String(variables.syncId))),
  );
}

async function guarded(read: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> {
  try {
    return await read();
  } catch (error) {
    throw toMcpError(error);
  }
}

async function readMemoryResource(deps: McpDeps, uri: string): Promise<ReadResourceResult> {
  const address = parseMemoryUri(uri);
  const repository = await resolveRepository(deps, {
    repository: `${address.owner}/${address.repo}`,
    branch: address.branch,
  });
  const file = await readMemoryFileAt(deps.service, {
    repository,
    branch: address.branch,
    path: address.path,
  });
  if (file.content === null) {
    throw new AppError(
      "NOT_FOUND",
      `${file.path} has no stored text (${file.omitted}); list_files shows its size.`,
    );
  }
  if (file.content.length > MAX_RESULT_CHARS) {
    throw new AppError(
      "BAD_INPUT",
      `${file.path} has ${file.content.length} characters, over the ${MAX_RESULT_CHARS} a read holds: read it in parts with the read_file tool's startLine and endLine.`,
    );
  }
  return {
    contents: [{ uri, mimeType: "text/plain", text: file.content }],
    _meta: { blobSha: file.blobSha, syncId: file.syncId },
  };
}

async function readSyncChanges(deps: McpDeps, uri: string, syncId: string): Promise<ReadResourceResult> {
  const comparison = await compareWithPrevious(deps.service, {
    syncId: await deps.gate.requireSync(syncId, "read"),
    limit: 1000,
  });
  const page = fitPage(comparison.changes.map(briefChange), (kept, cut) => ({
    ...comparisonFrame(comparison),
    changes: kept,
    nextCursor: cut ? (kept.at(-1)?.path ?? null) : comparison.nextCursor,
  }));
  return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(page) }] };
}
