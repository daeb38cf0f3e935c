import { expect } from "@jest/globals";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  type CallToolResult,
  type ResourceUpdatedNotification,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

/** A tool's JSON answer (its first text block), failing the test on a tool error. */
// biome-ignore lint/suspicious/noExplicitAny: each test reads the JSON shape of the tool it calls
export async function callJson(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  if (result.isError || first?.type !== "text") {
    throw new Error(`${name} failed: ${first?.type === "text" ? first.text : JSON.stringify(result)}`);
  }
  return JSON.parse(first.text);
}

/** A tool's error text, failing the test when the tool did not fail. */
export async function callError(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

/** Collects `notifications/resources/updated`; `next()` resolves with the next one (or one already received). */
export function watchUpdates(client: Client): { received: string[]; next: () => Promise<string> } {
  const received: string[] = [];
  let waiting: ((uri: string) => void) | null = null;
  let taken = 0;
  client.setNotificationHandler(
    ResourceUpdatedNotificationSchema,
    (notification: ResourceUpdatedNotification) => {
      received.push(notification.params.uri);
      if (waiting && taken < received.length) {
        const resolve = waiting;
        waiting = null;
        resolve(received[taken++] as string);
      }
    },
  );
  return {
    received,
    next: () =>
      new Promise((resolve) => {
        if (taken < received.length) resolve(received[taken++] as string);
        else waiting = resolve;
      }),
  };
}

/** The eight tools every transport serves. */
export const TOOL_NAMES = [
  "changes_since",
  "compare",
  "list_branches",
  "list_files",
  "list_repositories",
  "read_file",
  "search",
  "sync_status",
];
