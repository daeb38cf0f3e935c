import { z } from "zod";
import { listUsers, type UserView } from "../auth/list-users.js";
import { revokeUserAccess } from "../auth/revoke-user-access.js";
import { noFields } from "./api-input-schemas.js";
import { type ApiRoute, jsonRoute } from "./api-route.js";
import { tokenJson, tokenSchema } from "./create-token-routes.js";

const timestamp = z.iso.datetime({ offset: true });
const login = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,39}$/, "is not a GitHub login")
  .meta({ description: "a GitHub login (any case)" });
const userSchema = z
  .object({
    login: z.string(),
    githubId: z.string().meta({ description: "GitHub's user id (int64, as a string)" }),
    createdAt: timestamp.meta({ description: "their first sign-in" }),
    sessions: z.array(
      z.object({ id: z.uuid(), createdAt: timestamp, lastSeenAt: timestamp, expiresAt: timestamp }).strict(),
    ),
    tokens: z.array(tokenSchema),
  })
  .strict();
const revokedSchema = z
  .object({
    sessions: z.number().int().min(0).meta({ description: "sessions revoked" }),
    tokens: z.number().int().min(0).meta({ description: "personal tokens revoked" }),
  })
  .strict();
const ADMIN = "The operator's (API_TOKEN): people's sign-ins are not theirs to see or end.";

/**
 * The operator's view of who signed in (`/admin/users`) and the revocation of their sessions and personal tokens: the
 * next request with a revoked cookie or token is refused (401). Operator only (no `forPeople`).
 */
export function createAdminRoutes(): ApiRoute[] {
  return [
    jsonRoute({
      method: "get",
      path: "/admin/users",
      operationId: "listUsers",
      summary: "People who signed in with GitHub, each with their live sessions and personal tokens",
      description: ADMIN,
      query: z.strictObject({ login: login.optional() }),
      status: 200,
      response: z.object({ users: z.array(userSchema) }).strict(),
      errors: [],
      handle: async ({ query }, deps) => ({
        users: (await listUsers(deps.service, { login: query.login })).map(userJson),
      }),
    }),
    jsonRoute({
      method: "post",
      path: "/admin/users/:login/revoke",
      operationId: "revokeUser",
      summary:
        "Revoke every live session and personal token of a person: they are refused until they sign in again",
      description: ADMIN,
      params: z.strictObject({ login }),
      query: noFields,
      body: noFields,
      status: 200,
      response: revokedSchema,
      errors: [404],
      handle: ({ params }, deps) => revokeUserAccess(deps.service, { login: params.login }),
    }),
    jsonRoute({
      method: "delete",
      path: "/admin/sessions/:sessionId",
      operationId: "revokeSession",
      summary: "Revoke one session: its cookie is refused from now on",
      description: ADMIN,
      params: z.strictObject({ sessionId: z.uuid("is not a session id (a UUID)") }),
      query: noFields,
      status: 200,
      response: revokedSchema,
      errors: [404],
      handle: ({ params }, deps) => revokeUserAccess(deps.service, { sessionId: params.sessionId }),
    }),
    jsonRoute({
      method: "delete",
      path: "/admin/tokens/:tokenId",
      operationId: "revokeUserToken",
      summary: "Revoke one personal token of anyone: it is refused from now on",
      description: ADMIN,
      params: z.strictObject({ tokenId: z.uuid("is not a token id (a UUID)") }),
      query: noFields,
      status: 200,
      response: revokedSchema,
      errors: [404],
      handle: ({ params }, deps) => revokeUserAccess(deps.service, { tokenId: params.tokenId }),
    }),
  ];
}

function userJson(user: UserView) {
  return {
    login: user.login,
    githubId: user.githubId,
    createdAt: user.createdAt.toISOString(),
    sessions: user.sessions.map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    })),
    tokens: user.tokens.map(tokenJson),
  };
}
