import { json, notFound, unprocessable } from "../reply.js";
import type { RouteHandler } from "../router.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";
import { SIM_APP } from "./app-routes.js";

const MAX_COMMENT_CHARS = 65_536;
const REACTIONS = new Set(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);
const BOT = { login: `${SIM_APP.slug}[bot]`, id: 1, type: "Bot" };

/** `POST /repos/{owner}/{repo}/issues/{issue_number}/comments` */
export const createIssueComment: RouteHandler = ({ sim, params, body }) => {
  const repository = requireRepository(sim, params);
  const text = (body as { body?: unknown } | undefined)?.body;
  if (typeof text !== "string" || text.length === 0)
    throw unprocessable('Invalid request.\n\n"body" wasn\'t supplied.');
  if (text.length > MAX_COMMENT_CHARS) {
    throw unprocessable(`Validation Failed`, [
      {
        resource: "IssueComment",
        code: "custom",
        field: "body",
        message: "body is too long (maximum is 65536 characters)",
      },
    ]);
  }
  const id = sim.nextId.comment++;
  const api = repositoryApiUrl(sim, repository);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return json(
    {
      id,
      node_id: `IC_${id}`,
      url: `${api}/issues/comments/${id}`,
      html_url: `${sim.url}/${repository.owner}/${repository.name}/issues/${params.issue_number}#issuecomment-${id}`,
      issue_url: `${api}/issues/${params.issue_number}`,
      body: text,
      user: BOT,
      created_at: now,
      updated_at: now,
      author_association: "NONE",
    },
    201,
  );
};

/** `POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions` (any comment id is accepted). */
export const createCommentReaction: RouteHandler = ({ sim, params, body }) => {
  requireRepository(sim, params);
  const content = (body as { content?: unknown } | undefined)?.content;
  if (typeof content !== "string" || !REACTIONS.has(content)) {
    throw unprocessable("Validation Failed", [{ resource: "Reaction", code: "invalid", field: "content" }]);
  }
  const id = sim.nextId.reaction++;
  return json({ id, node_id: `REA_${id}`, user: BOT, content, created_at: new Date().toISOString() }, 201);
};

/** `GET /repos/{owner}/{repo}/collaborators/{username}/permission`: as set by setPermission, default "write". */
export const getCollaboratorPermission: RouteHandler = ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  const username = params.username ?? "";
  const permission = repository.permissions.get(username.toLowerCase()) ?? "write";
  return json({
    permission,
    role_name: permission === "none" ? "none" : permission,
    user: { login: username, id: 2, type: "User" },
  });
};

/** `GET /repos/{owner}/{repo}/pulls/{pull_number}`: as set by setPull. */
export const getPull: RouteHandler = ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  const number = Number(params.pull_number);
  const pull = repository.pulls.get(number);
  if (!pull) throw notFound();
  const repo = {
    id: repository.id,
    name: repository.name,
    full_name: `${repository.owner}/${repository.name}`,
    owner: { login: repository.owner },
    private: repository.private,
  };
  const baseRef = pull.baseRef ?? repository.defaultBranch;
  return json({
    id: number,
    number,
    state: pull.state ?? "open",
    url: `${repositoryApiUrl(sim, repository)}/pulls/${number}`,
    html_url: `${sim.url}/${repository.owner}/${repository.name}/pull/${number}`,
    head: { ref: pull.headRef, sha: pull.headSha, label: `${repository.owner}:${pull.headRef}`, repo },
    base: {
      ref: baseRef,
      sha: repository.branches.get(baseRef) ?? null,
      label: `${repository.owner}:${baseRef}`,
      repo,
    },
  });
};
