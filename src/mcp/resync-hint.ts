/** How to bring a branch's memory up to GitHub's head: the CLI command and the REST call. */
export function resyncHint(repository: string, branch: string): string {
  return `Run \`project-sync sync ${repository} --branch ${branch}\`, or POST /api/v1/repos/${repository}/syncs with {"branch":"${branch}"}.`;
}
