import type { GitObject } from "../git/cat-file-batch.js";
import { json } from "../reply.js";
import { resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import type { SimRepository } from "../sim-repository.js";
import { repositoryKey } from "../sim-repository.js";

/** GitHub's GraphQL `Blob.text` stops here and sets `isTruncated`. */
export const GRAPHQL_TEXT_LIMIT = 512_000;
/** git's binary heuristic: a NUL byte among the first 8,000 bytes. */
const BINARY_SNIFF_BYTES = 8000;

const STRING_OR_VARIABLE = String.raw`("(?:[^"\\]|\\.)*"|\$\w+)`;
const REPOSITORY = /repository\s*\(([^)]*)\)/;
const ARGUMENT = new RegExp(String.raw`(\w+)\s*:\s*${STRING_OR_VARIABLE}`, "g");
// `alias: object(oid: "…") { … }` with one level of nested braces (the inline fragments).
const OBJECT_FIELD = new RegExp(
  String.raw`(?:(\w+)\s*:\s*)?object\s*\(\s*(oid|expression)\s*:\s*${STRING_OR_VARIABLE}\s*\)\s*\{((?:[^{}]|\{[^{}]*\})*)\}`,
  "g",
);
const FRAGMENT = /\.\.\.\s*on\s+(\w+)\s*\{([^{}]*)\}/g;

const TYPE_NAMES = { blob: "Blob", tree: "Tree", commit: "Commit", tag: "Tag" } as const;

type GraphqlError = { message: string; type?: string; path?: string[]; extensions?: Record<string, unknown> };
type ObjectField = { alias: string; by: "oid" | "expression"; value: string; selection: string };

/**
 * `POST /graphql`, for the queries the connector sends: `repository(owner:, name:)` with aliased
 * `object(oid: "…")` or `object(expression: "rev:path")` fields selecting `... on Blob { oid byteSize isBinary
 * isTruncated text }`. A missing object is null; an object of another type answers `{}` (the fragment does not apply).
 * Errors come back as GitHub sends them: HTTP 200 with `errors`.
 */
export const postGraphql: RouteHandler = async ({ sim, body }) => {
  const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string")
    return json({ errors: [{ message: "A query attribute must be specified and must be a string." }] });
  const repositoryArgs = REPOSITORY.exec(query);
  if (!repositoryArgs) return json({ errors: [unsupported()] });
  const args = Object.fromEntries(
    [...(repositoryArgs[1] ?? "").matchAll(ARGUMENT)].map((match) => [
      match[1],
      argumentValue(match[2] ?? "", variables),
    ]),
  );
  const owner = String(args.owner ?? "");
  const name = String(args.name ?? "");
  const repository = sim.repositories.get(repositoryKey(owner, name));
  if (!repository) {
    return json({
      data: { repository: null },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["repository"],
          message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        },
      ],
    });
  }
  const fields: ObjectField[] = [...query.slice(repositoryArgs.index).matchAll(OBJECT_FIELD)].map(
    (match) => ({
      alias: match[1] ?? "object",
      by: match[2] as "oid" | "expression",
      value: String(argumentValue(match[3] ?? "", variables) ?? ""),
      selection: match[4] ?? "",
    }),
  );
  if (fields.length === 0) return json({ errors: [unsupported()] });

  const errors: GraphqlError[] = [];
  const objects = await Promise.all(fields.map((field) => readObject(repository, field)));
  const result: Record<string, unknown> = {};
  fields.forEach((field, index) => {
    result[field.alias] = selectFields(objects[index] ?? null, field, errors);
  });
  return json(errors.length > 0 ? { data: null, errors } : { data: { repository: result } });
};

async function readObject(repository: SimRepository, field: ObjectField): Promise<GitObject | null> {
  if (field.by === "oid") {
    return /^[0-9a-f]{40}$/.test(field.value) ? repository.git.read(field.value) : null;
  }
  const colon = field.value.indexOf(":");
  const rev = colon < 0 ? field.value : field.value.slice(0, colon);
  const commit = await resolveCommitSha(repository, rev);
  if (!commit) return null;
  return repository.git.read(colon < 0 ? commit : `${commit}:${field.value.slice(colon + 1)}`);
}

function selectFields(object: GitObject | null, field: ObjectField, errors: GraphqlError[]): unknown {
  if (!object) return null;
  const typeName = TYPE_NAMES[object.type];
  const selected: Record<string, unknown> = {};
  const fragments = [...field.selection.matchAll(FRAGMENT)];
  const direct = field.selection
    .replace(FRAGMENT, " ")
    .split(/[\s,]+/)
    .filter(Boolean);
  const wanted = [
    ...direct.map((name) => ({ name, on: "GitObject" })),
    ...fragments.flatMap((fragment) =>
      (fragment[2] ?? "")
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((name) => ({ name, on: fragment[1] ?? "" })),
    ),
  ];
  for (const { name, on } of wanted) {
    if (on !== "GitObject" && on !== typeName) continue;
    const value = fieldValue(object, name);
    if (value === undefined) {
      errors.push({
        message: `Field '${name}' doesn't exist on type '${on === "GitObject" ? "GitObject" : typeName}'`,
        path: [field.alias, name],
        extensions: { code: "undefinedField", typeName: on, fieldName: name },
      });
    } else {
      selected[name] = value;
    }
  }
  return selected;
}

function fieldValue(object: GitObject, name: string): unknown {
  const isBlob = object.type === "blob";
  switch (name) {
    case "__typename":
      return TYPE_NAMES[object.type];
    case "oid":
      return object.sha;
    case "abbreviatedOid":
      return object.sha.slice(0, 7);
    case "id":
      return `O_${object.sha}`;
    case "byteSize":
      return isBlob ? object.size : undefined;
    case "isBinary":
      return isBlob ? isBinary(object.content) : undefined;
    case "isTruncated":
      return isBlob ? object.size > GRAPHQL_TEXT_LIMIT : undefined;
    case "text":
      if (!isBlob) return undefined;
      if (isBinary(object.content)) return null;
      return object.content.subarray(0, GRAPHQL_TEXT_LIMIT).toString("utf8");
    default:
      return undefined;
  }
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

function argumentValue(raw: string, variables: Record<string, unknown>): unknown {
  if (raw.startsWith("$")) return variables[raw.slice(1)];
  return JSON.parse(raw);
}

function unsupported(): GraphqlError {
  return {
    message:
      "simulator: only `repository(owner:, name:) { alias: object(oid:|expression:) { ... on Blob { … } } }` queries are supported",
  };
}
