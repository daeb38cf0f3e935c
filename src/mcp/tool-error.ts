import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * A failure as a tool result the agent reads (`isError: true`) rather than a protocol error it cannot act on: the
 * code, then the message, which says what to do (a close branch name, the sync to pick, the command to resync).
 */
export function toolError(error: unknown, log: Logger): CallToolResult {
  const failure = toAppError(error);
  if (failure.code === "INTERNAL") log.error(`An MCP tool failed: ${failure.message}`);
  const message =
    failure.code === "INTERNAL" ? "An unexpected error occurred; see the server's log." : failure.message;
  return {
    isError: true,
    content: [
      {
        type: "text",
        text: `${failure.code}: ${message}${failure.retryable ? " (retrying later may succeed)" : ""}`,
      },
    ],
  };
}

/** Runs a tool's body, answering any failure as a tool error. */
export async function runTool(log: Logger, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolError(error, log);
  }
}

/**
 * Runs `body`, turning a failure into the protocol error a resource request answers with (InvalidParams for bad
 * input or an unknown repository, branch, sync or file; the message says what to do).
 */
export function invalidParams<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw toMcpError(error);
  }
}

export function toMcpError(error: unknown): McpError {
  const failure = toAppError(error);
  if (failure.status >= 500)
    return new McpError(ErrorCode.InternalError, `${failure.code}: ${failure.message}`);
  return new McpError(ErrorCode.InvalidParams, `${failure.code}: ${failure.message}`);
}
