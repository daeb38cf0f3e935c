import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError } from "../../errors.js";
import type { MemoryFileView } from "../../memory/memory-entry-view.js";
import { getSync } from "../../service/get-sync.js";
import { readMemoryFileAt } from "../../service/read-memory.js";
import type { McpDeps } from "../mcp-deps.js";
import { branchField, repositoryField, syncIdField } from "../mcp-input-fields.js";
import { memoryUri } from "../memory-uri.js";
import { asOf, resolveRepository } from "../resolve-repository.js";
import { MAX_RESULT_CHARS } from "../result-cap.js";
import { runTool } from "../tool-error.js";

// room left in the answer for the header that says which lines were read
const MAX_CONTENT_CHARS = MAX_RESULT_CHARS - 2_000;

const line = z.number().int().min(1).max(10_000_000);

export function registerReadFileTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "read_file",
    {
      title: "Read a file",
      description: `One file of a branch's memory (now, or as of a successful sync), whole or a line range. The first block says which lines came and how many the file has; the second is the text. A file over ${MAX_RESULT_CHARS} characters read without a range answers with a resource link and its line count: read it again with startLine/endLine. A range over the cap is cut, and nextStartLine says where to go on.`,
      inputSchema: {
        repository: repositoryField,
        path: z
          .string()
          .min(1)
          .max(4096)
          .describe('the file\'s path, e.g. "src/index.ts" (list_files names them)'),
        branch: branchField.optional(),
        asOfSyncId: syncIdField.optional().describe("a successful sync: the file as it was right after it"),
        startLine: line.optional().describe("first line to read (from 1)"),
        endLine: line.optional().describe("last line to read (inclusive)"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        if (input.startLine !== undefined && input.endLine !== undefined && input.endLine < input.startLine) {
          throw new AppError("BAD_INPUT", "endLine is before startLine.");
        }
        const repository = await resolveRepository(deps, input);
        const branch = input.branch;
        const file = await readMemoryFileAt(deps.service, {
          repository,
          branch,
          path: input.path,
          asOfSyncId: await asOf(deps, input.asOfSyncId),
        });
        // a past sync named without its branch: the link names that sync's branch
        const linkBranch =
          branch ??
          (input.asOfSyncId
            ? (await getSync(deps.service, input.asOfSyncId)).branch
            : repository.defaultBranch);
        const uri = memoryUri({
          owner: repository.owner,
          repo: repository.name,
          branch: linkBranch,
          path: file.path,
        });
        return fileResult(file, { ...input, uri, current: input.asOfSyncId === undefined });
      }),
  );
}

function fileResult(
  file: MemoryFileView,
  input: { startLine?: number; endLine?: number; uri: string; current: boolean },
): CallToolResult {
  const about = { path: file.path, blobSha: file.blobSha, size: file.size, syncId: file.syncId };
  if (file.content === null) {
    return text(
      { ...about, omitted: file.omitted },
      `No stored content: the file is ${reason(file.omitted)}.`,
    );
  }
  const lines = file.content.split(/(?<=\n)/);
  const ranged = input.startLine !== undefined || input.endLine !== undefined;
  if (!ranged && file.content.length > MAX_CONTENT_CHARS) {
    const header = {
      ...about,
      totalLines: lines.length,
      overCap: true,
      advice: `The file has ${file.content.length} characters, over the ${MAX_RESULT_CHARS} a result holds. Read it in parts with startLine and endLine (about ${suggestedSpan(file.content.length, lines.length)} lines at a time).`,
    };
    return {
      content: [
        { type: "text", text: JSON.stringify(header) },
        {
          type: "resource_link",
          uri: input.uri,
          name: file.path,
          mimeType: "text/plain",
          size: file.size,
          description: input.current
            ? "the file in the branch's memory"
            : "the file in the branch's current memory, which may differ from the version as of the sync asked for",
        },
      ],
    };
  }
  const start = Math.min(input.startLine ?? 1, lines.length + 1);
  const end = Math.min(input.endLine ?? lines.length, lines.length);
  let body = "";
  let last = start - 1;
  for (let index = start - 1; index < end; index += 1) {
    const next = lines[index] ?? "";
    if (body.length + next.length > MAX_CONTENT_CHARS && last >= start) break;
    body += next.slice(0, MAX_CONTENT_CHARS);
    last = index + 1;
  }
  // one line longer than the cap (minified code) comes cut: its start only
  const lineCut = last === start && (lines[start - 1]?.length ?? 0) > MAX_CONTENT_CHARS;
  const header = {
    ...about,
    totalLines: lines.length,
    startLine: start,
    endLine: last,
    ...(last < end ? { truncated: true, nextStartLine: last + 1 } : {}),
    ...(lineCut ? { lineCut: true } : {}),
  };
  return {
    content: [
      { type: "text", text: JSON.stringify(header) },
      { type: "text", text: body },
    ],
  };
}

function text(header: object, message: string): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify({ ...header, message }) }] };
}

function reason(omitted: MemoryFileView["omitted"]): string {
  if (omitted === "binary") return "binary";
  if (omitted === "submodule") return "a submodule (a commit of another repository)";
  return "larger than the size memory keeps text of (MAX_FILE_SIZE_BYTES)";
}

function suggestedSpan(chars: number, lines: number): number {
  const perLine = Math.max(1, chars / Math.max(1, lines));
  return Math.max(1, Math.floor((MAX_CONTENT_CHARS * 0.9) / perLine));
}
