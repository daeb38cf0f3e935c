/** The usage of the slash command, as the `help` reply and under every refusal. */
export const SLASH_COMMAND_USAGE = [
  "**Project Sync** keeps this repository's memory in sync. Commands (first line of a comment):",
  "",
  "- `/sync` — sync this pull request's branch (on an issue: the default branch)",
  "- `/sync full` — re-read every file instead of trusting stored content",
  "- `/sync <branch>` or `/sync full <branch>` — sync another branch",
  "- `/sync help` — this message",
  "",
  "`/resync` works the same. Only people with write access to the repository can run it.",
].join("\n");

/** The reply to a command the app cannot run. */
export function invalidCommandReply(problem: string, suggestion: string | null): string {
  const hint = suggestion
    ? ` Did you mean \`${suggestion}\`? (To sync a branch of that name, write it as \`refs/heads/<name>\`.)`
    : "";
  return `Sorry, I could not read that command: ${problem}.${hint}\n\n${SLASH_COMMAND_USAGE}`;
}
