/**
 * The demo's command lines for the CLI: with EMBEDDED_POSTGRES_DIR set to the demo's data folder, the CLI finds the
 * PostgreSQL the demo keeps running there (its postmaster.pid names the port, the folder holds the password) and
 * shares it, so no password is printed and none has to be copied.
 */
export function cliHint(options: {
  postgresDir: string;
  owner: string;
  name: string;
  branch: string;
}): string {
  const env = `EMBEDDED_POSTGRES_DIR=${options.postgresDir}`;
  const repo = `${options.owner}/${options.name}`;
  return [
    "Read the same memory from the command line while the demo runs (from this folder, in another terminal):",
    `  ${env} npm run cli -- history ${repo}`,
    `  ${env} npm run cli -- memory ${repo} --branch ${options.branch} --path docs/`,
    `  ${env} npm run cli -- search ${repo} "shows its name" --all-branches`,
    "",
  ].join("\n");
}
