/** `project-sync help`: every command, option and environment variable. */
export const USAGE = `Usage: project-sync <command> [options]

Keeps a versioned copy ("memory") of a GitHub repository's files in PostgreSQL.

Commands:
  sync <owner/repo>       Sync a branch's memory with GitHub now
      --branch <name>       the branch (default: the repository's default branch)
      --full                re-read every file from GitHub instead of reusing stored content
  status <sync-id>        Show one sync
  history <owner/repo>    List syncs, newest first, with their lineage
      --branch <name>       only this branch (default: every branch)
      --limit <n>           only the n newest (default: all)
  memory <owner/repo>     List the files in a branch's memory
      --branch <name>       the branch (default: the repository's default branch)
      --path <prefix>       only paths starting with prefix, e.g. src/
      --as-of <sync-id>     the memory as it was right after that successful sync
  search <owner/repo> <query>
                          Print the lines of a branch's memory that match, as path:line:text
      --branch <name>       the branch (default: the repository's default branch)
      --all-branches        the current memory of every branch
      --as-of <sync-id>     the memory as it was right after that successful sync
      --regex               the query is an RE2 regular expression (default: a literal)
      -i, --ignore-case     match without regard to case
      --path <prefix|glob>  only paths starting with prefix, or matching a glob (src/**/*.ts)
      --limit <n>           at most n files (default 1000)
  diff <from-sync> <to-sync>
                          The paths that changed from one successful sync's memory to another's (same
                          repository, any branches), as git diff --name-status -M prints them (M, A, D, T,
                          R087 old new)
      --path <prefix>       only paths starting with prefix (renames are looked for under it)
      --patch               print each file's unified diff, as git diff -M does
  show <owner/repo> <path>
                          Print a file's stored content, byte for byte (exit 1 for binary, too-large and
                          submodule files, naming why)
      --branch <name>       the branch (default: the repository's default branch)
      --as-of <sync-id>     the file as it was right after that successful sync
  restore <sync-id>       Put a branch's memory back to its state after a successful sync
                          (recorded as a new sync; GitHub is not contacted)
  purge <owner/repo>      Delete a repository's memory and history (files, entries, syncs)
      --yes                 really delete (without it: say what would be deleted, exit 2)
      --force               also while the GitHub App is still installed on the repository
  deliveries              List the webhook deliveries the app stored (newest first) and the inbox's state
      --status <s>          only pending, processing, processed or parked (parked: kept failing)
      --limit <n>           only the n newest (default 50)
  retry <delivery-id>     Have the app process a parked webhook delivery again
  webhooks add <url>      Register an endpoint for the change feed (sync.succeeded, sync.failed,
                          branch.deleted), signed per Standard Webhooks; prints its secret once
      --repository <o/r>    only this repository's events (default: every repository)
      --description <text>  a note shown in the list
  webhooks list           List the endpoints (never their secrets) and their state
  webhooks remove <id>    Remove an endpoint with its deliveries
  webhooks enable <id>    Enable an endpoint disabled after failing for 5 days
  webhooks deliveries <id>
                          An endpoint's deliveries, newest first, with their last attempt
      --limit <n>           only the n newest (default 20, at most 100)
  webhooks redeliver <id> <delivery-id>
                          Send a delivery again now (same webhook-id and body)
  users [<login>]         People who signed in with GitHub, with their live sessions and personal tokens
  users revoke <login>    Revoke every live session and personal token of a person now (their next
                          request is refused until they sign in again)
  mcp                     Serve the Model Context Protocol on stdin/stdout for a local agent (tools to
                          list, read, search and compare memory; see README "MCP"); runs until stdin ends
  help                    Show this help

Options for every command:
  --json                  Print exactly one JSON document on stdout; logs and progress go to stderr
  -h, --help              Show this help

Environment:
  DATABASE_URL            PostgreSQL server; unset: an embedded PostgreSQL in EMBEDDED_POSTGRES_DIR
                          (default .data/postgres) on EMBEDDED_POSTGRES_PORT (default 54329)
  GITHUB_TOKEN            a token that can read the repository, or
  APP_ID, PRIVATE_KEY     the GitHub App's id and private key (or PRIVATE_KEY_PATH: a .pem file)
  GHE_HOST, GHE_PROTOCOL  GitHub Enterprise Server, e.g. GHE_HOST=ghe.example.com
  MAX_FILE_SIZE_BYTES     larger text files keep their SHA and size but no content (default 1048576)
  WEBHOOK_ALLOW_PRIVATE_TARGETS
                          true: webhook endpoints may be loopback or private addresses, over http
                          (local development and tests only)
  LOG_LEVEL, DEBUG        more logging; DEBUG also prints stack traces of unexpected errors

Exit status: 0 done, 1 failed (a failed sync, not found, database unreachable, ...), 2 usage error.

Examples:
  project-sync sync octocat/hello-world --branch main
  project-sync history octocat/hello-world --limit 10
  project-sync memory octocat/hello-world --path src/ --json
  project-sync search octocat/hello-world 'fetch(Blob|Tree)' --regex --path src/
  project-sync diff 0b6c2f4e-7f1d-4c3a-9a53-2d8d2b0f1e77 5d1e0c3a-2b4f-4e6d-8a1c-9f0e7d6c5b4a --patch
  project-sync show octocat/hello-world src/index.ts --as-of 0b6c2f4e-7f1d-4c3a-9a53-2d8d2b0f1e77
  project-sync restore 0b6c2f4e-7f1d-4c3a-9a53-2d8d2b0f1e77
  project-sync purge octocat/hello-world --yes
  project-sync deliveries --status parked
`;
