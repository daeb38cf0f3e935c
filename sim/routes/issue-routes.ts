import { json, notFound, unprocessable } from "../reply.js";
import type { RouteHandler } from "../router.js";
import { rolePermissions, type SimPermission } from "../sim-repository.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";
import { SIM_APP } from "./app-routes.js";
import { userIdOf, userJson } from "./user-json.js";

const MAX_COMMENT_CHARS = 65_536;
const REACTIONS = new Set(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);
const BOT = { login: `${SIM_APP.slug}[bot]`, id: 1, type: "Bot" } as const;
/** The legacy base permission GitHub reports for a role: maintain counts as write, triage as read. */
const BASE_PERMISSION: Record<SimPermission, "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

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
      user: userJson(sim, BOT),
      created_at: now,
      updated_at: now,
      author_association: "NONE",
    },
    201,
  );
};

/**
 * `POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions` (any comment id is accepted): 201 with a new
 * reaction, or, as GitHub answers a content the same user already reacted with, 200 with the existing one.
 */
export const createCommentReaction: RouteHandler = ({ sim, params, body }) => {
  const repository = requireRepository(sim, params);
  const content = (body as { content?: unknown } | undefined)?.content;
  if (typeof content !== "string" || !REACTIONS.has(content)) {
    throw unprocessable("Validation Failed", [{ resource: "Reaction", code: "invalid", field: "content" }]);
  }
  // Every request acts as the app's bot: the simulator does not tell users apart by token.
  const key = `${params.comment_id}:${BOT.login}:${content}`;
  const existing = repository.reactions.get(key);
  if (existing) return json(existing, 200);
  const id = sim.nextId.reaction++;
  const created_at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const reaction = { id, node_id: `REA_${id}`, user: userJson(sim, BOT), content, created_at };
  repository.reactions.set(key, reaction);
  return json(reaction, 201);
};

/**
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`: the role set by setPermission (default "write") as
 * `role_name`, the legacy base permission GitHub maps it to as `permission` (admin, write, read or none: maintain is
 * write, triage is read), and the user with the permission flags of that role.
 */
export const getCollaboratorPermission: RouteHandler = ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  const username = params.username ?? "";
  const role = repository.permissions.get(username.toLowerCase()) ?? "write";
  return json({
    permission: BASE_PERMISSION[role],
    role_name: role,
    user: {
      ...userJson(sim, { login: username, id: userIdOf(username), type: "User" }),
      permissions: rolePermissions(role),
      role_name: role,
    },
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
