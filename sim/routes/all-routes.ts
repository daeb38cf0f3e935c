import { defineRoute, type Route, type RouteHandler } from "../router.js";
import {
  createInstallationToken,
  getApp,
  getRepositoryInstallation,
  listInstallationRepositories,
  listInstallations,
} from "./app-routes.js";
import { getBlob } from "./blob-route.js";
import { createCheckRun, getCheckRun, listCheckRunsForRef, updateCheckRun } from "./check-run-routes.js";
import { getCommit, getGitCommit } from "./commit-routes.js";
import { compareCommits } from "./compare-route.js";
import { getContents } from "./contents-route.js";
import { postGraphql } from "./graphql-route.js";
import { getHookDelivery, listHookDeliveries, redeliverHookDelivery } from "./hook-delivery-routes.js";
import {
  createCommentReaction,
  createIssueComment,
  getCollaboratorPermission,
  getPull,
} from "./issue-routes.js";
import { accessToken, authorize } from "./oauth-routes.js";
import {
  getBranch,
  getGitRef,
  getGitRefs,
  getRepository,
  listBranches,
  listBranchesById,
} from "./repository-routes.js";
import { getCodeloadTarball, getTarball } from "./tarball-routes.js";
import { getTree } from "./tree-route.js";
import {
  getAuthenticatedUser,
  listUserInstallationRepositories,
  listUserInstallations,
} from "./user-routes.js";

const rest = (
  method: string,
  template: string,
  handler: RouteHandler,
  options: { record?: boolean; contentCreating?: boolean } = {},
) => defineRoute(method, template, handler, { prefix: "/api/v3", ...options });

/** A write the app makes that creates content: recorded, and counted toward GitHub's secondary limits. */
const CONTENT_WRITE = { record: true, contentCreating: true };

const REPO = "/repos/{owner}/{repo}";

/**
 * Every route the simulator answers, first match wins: a `{param+}` route must come after the more specific routes
 * it would swallow (`commits/{ref}/check-runs` before `commits/{ref}`).
 */
export const ALL_ROUTES: readonly Route[] = [
  rest("GET", "/app", getApp),
  rest("GET", "/app/installations", listInstallations),
  rest("POST", "/app/installations/{installation_id}/access_tokens", createInstallationToken),
  rest("GET", "/app/hook/deliveries", listHookDeliveries),
  rest("GET", "/app/hook/deliveries/{delivery_id}", getHookDelivery),
  rest("POST", "/app/hook/deliveries/{delivery_id}/attempts", redeliverHookDelivery),
  rest("GET", "/installation/repositories", listInstallationRepositories),
  rest("GET", `${REPO}/installation`, getRepositoryInstallation),
  rest("GET", "/user", getAuthenticatedUser),
  rest("GET", "/user/installations", listUserInstallations),
  rest("GET", "/user/installations/{installation_id}/repositories", listUserInstallationRepositories),
  rest("GET", REPO, getRepository),
  rest("GET", `${REPO}/branches`, listBranches),
  rest("GET", "/repositories/{repository_id}/branches", listBranchesById),
  rest("GET", `${REPO}/branches/{branch+}`, getBranch),
  rest("GET", `${REPO}/git/ref/{ref+}`, getGitRef),
  rest("GET", `${REPO}/git/refs/{ref+}`, getGitRefs),
  rest("GET", `${REPO}/commits/{ref+}/check-runs`, listCheckRunsForRef),
  rest("GET", `${REPO}/commits/{ref+}`, getCommit),
  rest("GET", `${REPO}/git/commits/{sha}`, getGitCommit),
  rest("GET", `${REPO}/git/trees/{sha+}`, getTree),
  rest("GET", `${REPO}/git/blobs/{sha}`, getBlob),
  rest("GET", `${REPO}/compare/{base+}...{head+}`, compareCommits),
  rest("GET", `${REPO}/tarball/{ref+}`, getTarball),
  rest("GET", `${REPO}/contents/{path+}`, getContents),
  rest("POST", `${REPO}/check-runs`, createCheckRun, CONTENT_WRITE),
  rest("GET", `${REPO}/check-runs/{check_run_id}`, getCheckRun),
  rest("PATCH", `${REPO}/check-runs/{check_run_id}`, updateCheckRun, CONTENT_WRITE),
  rest("POST", `${REPO}/issues/{issue_number}/comments`, createIssueComment, CONTENT_WRITE),
  rest("POST", `${REPO}/issues/comments/{comment_id}/reactions`, createCommentReaction, CONTENT_WRITE),
  rest("GET", `${REPO}/collaborators/{username}/permission`, getCollaboratorPermission),
  rest("GET", `${REPO}/pulls/{pull_number}`, getPull),
  defineRoute("POST", "/graphql", postGraphql, { prefix: "/api" }),
  defineRoute("GET", "/login/oauth/authorize", authorize),
  defineRoute("POST", "/login/oauth/access_token", accessToken),
  defineRoute("GET", "/_codeload/{owner}/{repo}/legacy.tar.gz/{ref+}", getCodeloadTarball),
];

/** The name of every route, as `stats()` and `injectFault` spell them. */
export const ROUTE_NAMES: readonly string[] = ALL_ROUTES.map((route) => route.name);
