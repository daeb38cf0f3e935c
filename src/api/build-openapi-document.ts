import { z } from "zod";
import { NAMED_SCHEMAS } from "./api-response-schemas.js";
import type { ApiRoute } from "./api-route.js";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const COMPONENTS = "#/components/schemas/";
const ERROR_REF = { $ref: `${COMPONENTS}Error` };
const COMMON_ERRORS: Record<string, string> = {
  "400": "Bad input: malformed ids, bad cursors, limits out of range, invalid or unknown fields",
  "401":
    "No (or a wrong, revoked or expired) Authorization: Bearer token — API_TOKEN or a personal token — and no live session",
  "403":
    "Not allowed: a person without the access GitHub gives them (write, admin), a read-only token on an action, a session's action without its X-CSRF-Token, an operator-only route; or, without API_TOKEN and sign-in, a client not on the loopback interface",
  "500": "Internal error (details in the server log)",
};
const ERROR_MEANINGS: Record<string, string> = {
  "404": "Unknown repository, branch, sync or file (or one a signed-in person cannot read: the same answer)",
  "409": "Conflict (e.g. the repository is no longer installed)",
  "502": "GitHub refused the server's credentials or answered unexpectedly",
  "503": "GitHub or the database is unavailable, or the server has no GitHub credentials",
};

/**
 * The OpenAPI 3.1 document of the API, generated from the routes' own zod schemas (the ones requests are validated
 * with), so it cannot drift from what is served.
 */
export function buildOpenApiDocument(
  routes: ApiRoute[],
  options: { version: string },
): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  const idOf = (schema: z.ZodType, fallback: string): string => {
    const existing = registry.get(schema)?.id;
    if (existing) return existing;
    registry.add(schema, { id: fallback });
    return fallback;
  };
  const name = (route: ApiRoute, suffix: string) =>
    `${route.operationId.charAt(0).toUpperCase()}${route.operationId.slice(1)}${suffix}`;
  const described = routes.map((route) => ({
    route,
    body: route.body && idOf(route.body, name(route, "Body")),
    response: route.kind === "json" ? idOf(route.response, name(route, "Response")) : undefined,
  }));
  const converted = z.toJSONSchema(registry, { uri: (id) => `${COMPONENTS}${id}`, unrepresentable: "any" });
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(converted.schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    schemas[id] = rest;
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const entry of described) {
    const { route } = entry;
    const openApiPath = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters = [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")];
    const content =
      route.kind === "json"
        ? { "application/json": { schema: { $ref: `${COMPONENTS}${entry.response}` } } }
        : { [route.contentType]: { schema: { type: "string" } } };
    paths[openApiPath] ??= {};
    paths[openApiPath][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...describe(route),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(entry.body
        ? {
            requestBody: {
              required: false,
              content: { "application/json": { schema: { $ref: `${COMPONENTS}${entry.body}` } } },
            },
          }
        : {}),
      responses: {
        [String(route.kind === "json" ? route.status : 200)]: { description: route.summary, content },
        ...errorResponses(COMMON_ERRORS),
        ...errorResponses(
          Object.fromEntries(route.errors.map((status) => [status, ERROR_MEANINGS[status] ?? ""])),
        ),
      },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Project Sync API",
      version: options.version,
      description:
        "A repository's memory in PostgreSQL, kept in sync with GitHub. With API_TOKEN set every request needs `Authorization: Bearer <API_TOKEN>`; without it only loopback clients are answered. With sign in with GitHub set up, people send a personal token (`Bearer pst_…`) or the page's session cookie (with `X-CSRF-Token` on actions): they see the repositories GitHub lets them read, and actions need write (purge: admin) on the repository, asked of GitHub at that moment.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "the server's API_TOKEN (the operator), or a person's personal token (pst_…)",
        },
      },
    },
  };
}

const OPERATOR_ONLY =
  "Operator only: API_TOKEN (or this machine, without API_TOKEN and sign-in); signed-in people and personal tokens get 403.";

/** The route's description, with the note that it is the operator's when people may not use it. */
function describe(route: ApiRoute): { description?: string } {
  const parts = [route.description, route.forPeople ? undefined : OPERATOR_ONLY].filter(Boolean);
  return parts.length > 0 ? { description: parts.join(" ") } : {};
}

/** A path or query object's fields as OpenAPI parameters. */
function parametersOf(object: z.ZodObject | undefined, where: "path" | "query") {
  const schema = object ? (z.toJSONSchema(object, { unrepresentable: "any" }) as JsonSchema) : undefined;
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function errorResponses(meanings: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(meanings).map(([status, description]) => [
      status,
      { description, content: { "application/json": { schema: ERROR_REF } } },
    ]),
  );
}
