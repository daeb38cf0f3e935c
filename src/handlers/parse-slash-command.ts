import { isValidBranchName } from "../github/is-valid-branch-name.js";
import { editDistance } from "../service/edit-distance.js";

/** What a comment asks for. */
export type SlashCommand =
  | { kind: "sync"; full: boolean; branch: string | null }
  | { kind: "help" }
  /** a command the app cannot run: the reply shows the usage, with a suggestion when a keyword was mistyped */
  | { kind: "invalid"; problem: string; suggestion: string | null };

const COMMANDS = new Set(["/sync", "/resync"]);
const KEYWORDS = ["full", "help"] as const;

/**
 * Reads a slash command from a comment: its first non-empty line is `/sync` or `/resync`, then optionally `full`
 * and a branch name (either order), or `help`. null when the comment is not a command.
 * @example parseSlashCommand("/sync full release/1.2") // { kind: "sync", full: true, branch: "release/1.2" }
 * @example parseSlashCommand("/sync ful") // { kind: "invalid", problem: "unknown word `ful`", suggestion: "full" }
 */
export function parseSlashCommand(body: string): SlashCommand | null {
  const line = body.split(/\r?\n/).find((candidate) => candidate.trim() !== "");
  const [command, ...words] = line?.trim().split(/\s+/) ?? [];
  if (!command || !COMMANDS.has(command.toLowerCase())) return null;

  let full = false;
  let branch: string | null = null;
  for (const word of words) {
    const keyword = word.toLowerCase();
    if (keyword === "help") return { kind: "help" };
    if (keyword === "full") {
      full = true;
      continue;
    }
    const suggestion = closestKeyword(keyword);
    if (suggestion) return { kind: "invalid", problem: `unknown word \`${word}\``, suggestion };
    if (branch !== null) {
      return {
        kind: "invalid",
        problem: `one branch at a time (got \`${branch}\` and \`${word}\`)`,
        suggestion: null,
      };
    }
    // `refs/heads/<name>` names a branch whose name looks like a keyword (`hello`, `fold`)
    const name = word.startsWith("refs/heads/") ? word.slice("refs/heads/".length) : word;
    if (!isValidBranchName(name)) {
      return { kind: "invalid", problem: `\`${word}\` is not a valid branch name`, suggestion: null };
    }
    branch = name;
  }
  return { kind: "sync", full, branch };
}

/** A keyword the word is a likely typo of (at most 2 edits away); a word with a slash is always a branch. */
function closestKeyword(word: string): string | null {
  if (word.includes("/") || word.length < 2) return null;
  let best: { keyword: string; distance: number } | null = null;
  for (const keyword of KEYWORDS) {
    const distance = editDistance(word, keyword);
    if (distance <= 2 && (!best || distance < best.distance)) best = { keyword, distance };
  }
  return best?.keyword ?? null;
}
