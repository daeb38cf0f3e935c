import type { Repository } from "../generated/prisma/client.js";
import { fetchBranches } from "../github/fetch-branches.js";
import { repoParams } from "../github/github-client.js";
import { requireGitHub } from "../github/require-github.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

export type BranchView = {
  name: string;
  headSha: string;
  protected: boolean;
  isDefault: boolean;
  /** the branch's most recent sync, whatever its status */
  lastSync: SyncView | null;
  /** whether memory is at the branch's head */
  inSync: boolean;
};

/** The repository's branches on GitHub, each with its last sync (the seed's `branches`). */
export async function listBranches(deps: ServiceDeps, repository: Repository): Promise<BranchView[]> {
  const github = requireGitHub(await deps.githubFor(repository));
  const branches = await fetchBranches({ client: github, ...repoParams(repository) });
  const latest = await deps.db.projectSync.findMany({
    where: { repositoryId: repository.id, branch: { in: branches.map((branch) => branch.name) } },
    distinct: ["branch"],
    orderBy: [{ branch: "asc" }, { createdAt: "desc" }],
    include: { repository: { select: { owner: true, name: true } } },
  });
  const lastSucceeded = await deps.db.projectSync.findMany({
    where: { repositoryId: repository.id, status: "succeeded", branch: { in: branches.map((b) => b.name) } },
    distinct: ["branch"],
    orderBy: [{ branch: "asc" }, { generation: "desc" }],
    select: { branch: true, headSha: true },
  });
  const byBranch = new Map(latest.map((sync) => [sync.branch, sync]));
  const syncedHead = new Map(lastSucceeded.map((sync) => [sync.branch, sync.headSha]));
  return branches.map((branch) => {
    const last = byBranch.get(branch.name);
    return {
      name: branch.name,
      headSha: branch.headSha,
      protected: branch.protected,
      isDefault: branch.name === repository.defaultBranch,
      lastSync: last ? toSyncView(last) : null,
      inSync: syncedHead.get(branch.name) === branch.headSha,
    };
  });
}
