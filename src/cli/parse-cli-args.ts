import { parseArgs } from "node:util";
import { AppError } from "../errors.js";
import { DeliveryStatus } from "../generated/prisma/enums.js";
import { isValidBranchName } from "../github/is-valid-branch-name.js";
import { parseSyncId } from "../service/get-sync.js";
import { parseRepositoryName } from "../service/parse-repository-name.js";
import { parseWebhooksArgs, type WebhooksCommand } from "./parse-webhooks-args.js";

/** A command line, checked as far as it can be without the database or GitHub. */
export type CliCommand =
  /** `requested` is false when no command was given: then the usage goes to stderr and the exit code is 2 */
  | { name: "help"; json: boolean; requested: boolean }
  | { name: "sync"; json: boolean; repository: string; branch?: string; full: boolean }
  | { name: "status"; json: boolean; syncId: string }
  | { name: "history"; json: boolean; repository: string; branch?: string; limit?: number }
  | { name: "memory"; json: boolean; repository: string; branch?: string; path?: string; asOf?: string }
  | { name: "restore"; json: boolean; syncId: string }
  | { name: "purge"; json: boolean; repository: string; yes: boolean; force: boolean }
  | { name: "deliveries"; json: boolean; status?: DeliveryStatus; limit?: number }
  | { name: "retry"; json: boolean; deliveryId: string }
  | { name: "mcp"; json: boolean }
  | {
      name: "search";
      json: boolean;
      repository: string;
      query: string;
      branch?: string;
      allBranches: boolean;
      asOf?: string;
      regex: boolean;
      ignoreCase: boolean;
      path?: string;
      limit?: number;
    }
  | { name: "diff"; json: boolean; from: string; to: string; path?: string; patch: boolean }
  | { name: "show"; json: boolean; repository: string; path: string; branch?: string; asOf?: string }
  | WebhooksCommand
  | UsersCommand;

/** `users [list] [<login>]` and `users revoke <login>`: who signed in with GitHub, and ending their sessions and tokens. */
export type UsersCommand =
  | { name: "users"; json: boolean; action: "list"; login?: string }
  | { name: "users"; json: boolean; action: "revoke"; login: string };

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  branch: { type: "string" },
  full: { type: "boolean" },
  limit: { type: "string" },
  path: { type: "string" },
  "as-of": { type: "string" },
  yes: { type: "boolean" },
  force: { type: "boolean" },
  status: { type: "string" },
  regex: { type: "boolean" },
  "ignore-case": { type: "boolean", short: "i" },
  "all-branches": { type: "boolean" },
  patch: { type: "boolean" },
  repository: { type: "string" },
  description: { type: "string" },
} as const;

type OptionName = keyof typeof OPTIONS;

// The options each command accepts besides --json and --help, and what its argument is (null: none; two: a pair).
const COMMANDS: Record<
  Exclude<CliCommand["name"], "help">,
  { argument: string | null | readonly [string, string]; second?: string; options: OptionName[] }
> = {
  sync: { argument: "<owner/repo>", options: ["branch", "full"] },
  status: { argument: "<sync-id>", options: [] },
  history: { argument: "<owner/repo>", options: ["branch", "limit"] },
  memory: { argument: "<owner/repo>", options: ["branch", "path", "as-of"] },
  restore: { argument: "<sync-id>", options: [] },
  purge: { argument: "<owner/repo>", options: ["yes", "force"] },
  deliveries: { argument: null, options: ["status", "limit"] },
  retry: { argument: "<delivery-id>", options: [] },
  mcp: { argument: null, options: [] },
  search: {
    argument: "<owner/repo>",
    second: "<query>",
    options: ["branch", "all-branches", "as-of", "regex", "ignore-case", "path", "limit"],
  },
  diff: { argument: ["<from-sync>", "<to-sync>"], options: ["path", "patch"] },
  show: { argument: ["<owner/repo>", "<path>"], options: ["branch", "as-of"] },
  webhooks: { argument: "<action>", options: ["repository", "description", "limit"] },
  users: { argument: "<action>", options: [] },
};

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * argv (without node and the script) → the command to run. Every problem is an AppError BAD_INPUT: a usage error.
 * @example parseCliArgs(["history", "octocat/hello-world", "--limit", "5"])
 */
export function parseCliArgs(argv: string[]): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs' messages already name the option ("Unknown option '--x'").
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const [name, ...rest] = positionals;
  if (values.help || name === "help") return { name: "help", json, requested: true };
  if (name === undefined) return { name: "help", json, requested: false };
  if (!Object.hasOwn(COMMANDS, name)) throw usageError(`unknown command "${name}".`);
  const command = name as keyof typeof COMMANDS;
  const spec = COMMANDS[command];

  const stray = (Object.keys(values) as OptionName[]).filter(
    (option) => option !== "json" && option !== "help" && !spec.options.includes(option),
  );
  if (stray.length > 0) throw usageError(`${command} does not take --${stray[0]}.`);
  if (command === "diff" || command === "show") return parsePairCommand(command, rest, values);
  if (command === "users") return parseUsersArgs(rest, json);
  if (command === "webhooks") {
    const limit = values.limit === undefined ? undefined : parseLimit(values.limit);
    return parseWebhooksArgs(
      rest,
      { repository: values.repository, description: values.description, limit },
      json,
    );
  }
  if (spec.argument === null || typeof spec.argument !== "string") {
    if (rest.length > 0) throw usageError(`${command} takes no argument; got "${rest[0]}".`);
    if (command === "mcp") return { name: command, json };
    return {
      name: "deliveries",
      json,
      status: values.status === undefined ? undefined : parseDeliveryStatus(values.status),
      limit: values.limit === undefined ? undefined : parseLimit(values.limit),
    };
  }
  const [argument, ...extra] = rest;
  if (argument === undefined) throw usageError(`${command} needs ${spec.argument}.`);
  const second = spec.second ? extra.shift() : undefined;
  if (spec.second && second === undefined)
    throw usageError(`${command} needs ${spec.argument} ${spec.second}.`);
  if (extra.length > 0)
    throw usageError(
      `${command} takes ${spec.second ? "two arguments" : `one ${spec.argument}`}; got also "${extra[0]}".`,
    );

  return commandWith(command, { json, values, argument, second: second ?? "" });
}

type Values = ReturnType<typeof parse>["values"];

/** The command of a checked command line, its values parsed. */
function commandWith(
  command: keyof typeof COMMANDS,
  input: { json: boolean; values: Values; argument: string; second: string },
): CliCommand {
  const { json, values, argument, second } = input;
  const branch = values.branch === undefined ? undefined : parseBranch(values.branch);
  switch (command) {
    case "sync":
      return {
        name: command,
        json,
        repository: repositoryArgument(argument),
        branch,
        full: values.full === true,
      };
    case "history":
      return {
        name: command,
        json,
        repository: repositoryArgument(argument),
        branch,
        limit: values.limit === undefined ? undefined : parseLimit(values.limit),
      };
    case "memory":
      if (values.path === "") throw usageError("--path needs a prefix, e.g. --path src/");
      return {
        name: command,
        json,
        repository: repositoryArgument(argument),
        branch,
        path: values.path,
        asOf: values["as-of"] === undefined ? undefined : parseSyncId(values["as-of"]),
      };
    case "purge":
      return {
        name: command,
        json,
        repository: repositoryArgument(argument),
        yes: values.yes === true,
        force: values.force === true,
      };
    case "search":
      return {
        name: command,
        json,
        repository: repositoryArgument(argument),
        query: second,
        branch,
        allBranches: values["all-branches"] === true,
        asOf: values["as-of"] === undefined ? undefined : parseSyncId(values["as-of"]),
        regex: values.regex === true,
        ignoreCase: values["ignore-case"] === true,
        path: values.path || undefined,
        limit: values.limit === undefined ? undefined : parseLimit(values.limit),
      };
    case "retry":
      if (!DELIVERY_ID.test(argument))
        throw usageError(`"${argument}" is not a delivery id (X-GitHub-Delivery).`);
      return { name: command, json, deliveryId: argument };
    case "deliveries":
      throw usageError("deliveries takes no argument.");
    case "mcp":
      throw usageError("mcp takes no argument.");
    case "webhooks":
      return parseWebhooksArgs([argument], {}, json);
    case "users":
      return parseUsersArgs([argument], json);

    case "status":
    case "restore":
      return { name: command, json, syncId: parseSyncId(argument) };
    case "diff":
    case "show":
      return parsePairCommand(command, [argument, second], values);
  }
}

/** `diff <from-sync> <to-sync>` and `show <owner/repo> <path>`: the commands of two arguments. */
function parsePairCommand(
  command: "diff" | "show",
  rest: string[],
  values: ReturnType<typeof parse>["values"],
): CliCommand {
  const [names, json] = [COMMANDS[command].argument as readonly [string, string], values.json === true];
  const [first, second, ...extra] = rest;
  if (first === undefined || second === undefined) {
    throw usageError(`${command} needs ${names[0]} and ${names[1]}.`);
  }
  if (extra.length > 0) throw usageError(`${command} takes ${names.join(" ")}; got also "${extra[0]}".`);
  if (command === "diff") {
    if (values.path === "") throw usageError("--path needs a prefix, e.g. --path src/");
    const [from, to] = [parseSyncId(first), parseSyncId(second)];
    return { name: command, json, from, to, path: values.path, patch: values.patch === true };
  }
  if (second === "") throw usageError("show needs the path of a file, e.g. src/index.ts");
  return {
    name: command,
    json,
    repository: repositoryArgument(first),
    path: second,
    branch: values.branch === undefined ? undefined : parseBranch(values.branch),
    asOf: values["as-of"] === undefined ? undefined : parseSyncId(values["as-of"]),
  };
}

/** The arguments after `users`: `[list] [<login>]` or `revoke <login>`. */
function parseUsersArgs(rest: string[], json: boolean): UsersCommand {
  const [action = "list", ...args] = rest;
  const known = action === "list" || action === "revoke";
  const [login, ...extra] = known ? args : [action, ...args];
  if (extra.length > 0) throw usageError(`users takes at most one login; got also "${extra[0]}".`);
  if (login !== undefined && !/^[A-Za-z0-9-]{1,39}$/.test(login))
    throw usageError(`"${login}" is not a GitHub login.`);
  if (action !== "revoke") return { name: "users", json, action: "list", login };
  if (login === undefined) throw usageError("users revoke needs the person's <login>.");
  return { name: "users", json, action: "revoke", login };
}

function parseDeliveryStatus(input: string): DeliveryStatus {
  if (!Object.hasOwn(DeliveryStatus, input)) {
    throw usageError(`--status must be one of ${Object.keys(DeliveryStatus).join(", ")}; got "${input}".`);
  }
  return input as DeliveryStatus;
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

function repositoryArgument(input: string): string {
  const { owner, name } = parseRepositoryName(input);
  return `${owner}/${name}`;
}

function parseBranch(input: string): string {
  if (input === "" || !isValidBranchName(input)) throw usageError(`"${input}" is not a valid branch name.`);
  return input;
}

function parseLimit(input: string): number {
  const limit = /^\d+$/.test(input) ? Number(input) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw usageError(`--limit must be a whole number ≥ 1; got "${input}".`);
  return limit;
}

function usageError(message: string): AppError {
  return new AppError("BAD_INPUT", message);
}
