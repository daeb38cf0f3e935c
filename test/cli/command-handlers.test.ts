import { describe, expect, it } from "@jest/globals";
import { COMMAND_HANDLERS } from "../../src/cli/commands/command-handlers.js";
import { USAGE } from "../../src/cli/usage.js";

// The commands the usage lists: the lines of its "Commands:" section that start with a name.
function usageCommands(): string[] {
  const section = USAGE.split("\nCommands:\n")[1]?.split("\n\n")[0] ?? "";
  // a command with actions (`webhooks add|list|…`) has a line each
  return [...new Set([...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((match) => match[1] ?? ""))];
}

describe("COMMAND_HANDLERS", () => {
  it("has a handler for every command the usage lists, and for no other", () => {
    const listed = usageCommands();

    expect(listed).toContain("status");
    expect(listed.filter((name) => name !== "help").sort()).toEqual(Object.keys(COMMAND_HANDLERS).sort());
  });

  it.each(Object.keys(COMMAND_HANDLERS))(
    "loads %s's handler, a function of (context, command)",
    async (name) => {
      const handler = await COMMAND_HANDLERS[name as keyof typeof COMMAND_HANDLERS]();

      expect(typeof handler).toBe("function");
      expect(handler.length).toBe(2);
    },
  );
});
