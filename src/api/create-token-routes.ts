import { z } from "zod";
import {
  createPersonalToken,
  listPersonalTokens,
  type PersonalTokenView,
  personalTokenInput,
  revokePersonalToken,
} from "../auth/personal-tokens.js";
import type { Principal } from "../auth/principal.js";
import { AppError } from "../errors.js";
import type { ApiDeps } from "./api-deps.js";
import { noFields } from "./api-input-schemas.js";
import { type ApiRoute, jsonRoute } from "./api-route.js";

const timestamp = z.iso.datetime({ offset: true });
export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: z.enum(["read", "write"]),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable().meta({ description: "null: it never expires" }),
  })
  .strict();
const tokenListSchema = z.object({ tokens: z.array(tokenSchema) }).strict();
const createdTokenSchema = tokenSchema
  .extend({
    token: z.string().meta({ description: "the token itself, shown this once (only its digest is kept)" }),
  })
  .strict();
const tokenParams = z.strictObject({ tokenId: z.uuid("is not a token id (a UUID)") });

/**
 * A signed-in person's personal API tokens (`/me/tokens`): listed, created (the token shown once) and revoked, from
 * the page's session only, so that a leaked token cannot mint others. Tokens carry the person's GitHub access.
 */
export function createTokenRoutes(): ApiRoute[] {
  return [
    jsonRoute({
      method: "get",
      path: "/me/tokens",
      operationId: "listPersonalTokens",
      summary: "Your live personal API tokens (never the tokens themselves)",
      query: noFields,
      status: 200,
      response: tokenListSchema,
      errors: [],
      forPeople: true,
      handle: async (_input, deps, principal) => ({
        tokens: (await listPersonalTokens(authOf(deps), sessionPerson(principal))).map(tokenJson),
      }),
    }),
    jsonRoute({
      method: "post",
      path: "/me/tokens",
      operationId: "createPersonalToken",
      summary: "Create a personal API token (read or write) carrying your GitHub access; it is shown once",
      query: noFields,
      body: personalTokenInput,
      status: 201,
      response: createdTokenSchema,
      errors: [409],
      forPeople: true,
      handle: async ({ body }, deps, principal) => {
        const { token, view } = await createPersonalToken(authOf(deps), sessionPerson(principal), body);
        return { ...tokenJson(view), token };
      },
    }),
    jsonRoute({
      method: "delete",
      path: "/me/tokens/:tokenId",
      operationId: "revokePersonalToken",
      summary: "Revoke one of your personal API tokens: it is refused from now on",
      params: tokenParams,
      query: noFields,
      status: 200,
      response: z.object({ revoked: z.uuid() }).strict(),
      errors: [404],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        await revokePersonalToken(authOf(deps), sessionPerson(principal), params.tokenId);
        return { revoked: params.tokenId };
      },
    }),
  ];
}

function sessionPerson(principal: Principal): string {
  if (principal.kind !== "person" || principal.via !== "session") {
    throw new AppError(
      "FORBIDDEN",
      "Personal tokens are managed by a signed-in person on the page, not with a token.",
    );
  }
  return principal.userId;
}

function authOf(deps: ApiDeps) {
  if (!deps.auth) throw new AppError("NOT_FOUND", "Sign in with GitHub is not set up on this server.");
  return deps.auth;
}

/** A personal token as the API shows it (never the token itself). */
export function tokenJson(view: PersonalTokenView) {
  return {
    id: view.id,
    name: view.name,
    scope: view.scope,
    createdAt: view.createdAt.toISOString(),
    lastUsedAt: view.lastUsedAt?.toISOString() ?? null,
    expiresAt: view.expiresAt?.toISOString() ?? null,
  };
}
