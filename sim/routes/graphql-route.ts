import type { GitObject, GitObjectType } from "../git/cat-file-batch.js";
import {
  type GraphqlArgument,
  type GraphqlField,
  type GraphqlSelection,
  GraphqlSyntaxError,
  parseGraphqlQuery,
} from "../graphql-query.js";
import { json } from "../reply.js";
import { readCommitInfo, resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import type { SimRepository } from "../sim-repository.js";
import { repositoryKey } from "../sim-repository.js";
import type { SimulatorState } from "../simulator-state.js";

/** GitHub's GraphQL `Blob.text` stops here and sets `isTruncated`. */
export const GRAPHQL_TEXT_LIMIT = 512_000;
/** git's binary heuristic: a NUL byte among the first 8,000 bytes. */
const BINARY_SNIFF_BYTES = 8000;

const TYPE_NAMES = { blob: "Blob", tree: "Tree", commit: "Commit", tag: "Tag" } as const;

type ObjectTypeName = (typeof TYPE_NAMES)[GitObjectType];
type TypeName = "GitObject" | ObjectTypeName | "TreeEntry";
/** A field of the schema subset: its GraphQL type as GitHub prints it, and the object type it selects into. */
type FieldSpec = { returns: string; selects?: TypeName };

const GIT_OBJECT_FIELDS: Record<string, FieldSpec> = {
  __typename: { returns: "String!" },
  oid: { returns: "GitObjectID!" },
  abbreviatedOid: { returns: "String!" },
  id: { returns: "ID!" },
};
/** The part of GitHub's schema below `Repository.object` the simulator serves. */
const SCHEMA: Record<TypeName, Record<string, FieldSpec>> = {
  GitObject: GIT_OBJECT_FIELDS,
  Blob: {
    ...GIT_OBJECT_FIELDS,
    byteSize: { returns: "Int!" },
    isBinary: { returns: "Boolean" },
    isTruncated: { returns: "Boolean!" },
    text: { returns: "String" },
  },
  Tree: { ...GIT_OBJECT_FIELDS, entries: { returns: "[TreeEntry!]", selects: "TreeEntry" } },
  Commit: { ...GIT_OBJECT_FIELDS, tree: { returns: "Tree!", selects: "Tree" } },
  Tag: GIT_OBJECT_FIELDS,
  TreeEntry: {
    __typename: { returns: "String!" },
    name: { returns: "String!" },
    mode: { returns: "Int!" },
    type: { returns: "String!" },
    oid: { returns: "GitObjectID!" },
    // nullable: a submodule's commit is not in the repository
    object: { returns: "GitObject", selects: "GitObject" },
  },
};

type GraphqlError = { message: string; type?: string; path?: string[]; extensions?: Record<string, unknown> };
type ObjectField = { key: string; by: "oid" | "expression"; value: string; selections: GraphqlSelection[] };
type RepositoryField = { key: string; owner: string; name: string; objects: ObjectField[] };

/** A git object being answered; `load` reads its bytes only when a field needs them (a commit's `tree`). */
type ObjectNode = { sha: string; type: GitObjectType; load: () => Promise<GitObject> };
/** One entry of a tree object. */
type EntryNode = { name: string; mode: number; type: "blob" | "tree" | "commit"; oid: string };

/**
 * `POST /graphql`, for the queries the connector sends: `repository(owner:, name:)` with aliased
 * `object(oid: "…")` or `object(expression: "rev:path")` fields selecting, through inline fragments,
 * `... on Blob { oid byteSize isBinary isTruncated text }`, `... on Tree { oid entries { name mode type oid } }` and
 * `... on Commit { oid tree { oid } }`, and a tree entry's `object` (its blob or tree, nested to any depth; null for a
 * submodule's commit, which the repository does not hold). A missing object is null; an object of another type answers `{}` (the
 * fragment does not apply), as GitHub does. `isBinary` and `entries` are nullable in GitHub's schema and answer null
 * past the blobIsBinaryUnknownAbove / treeEntriesNullAbove options. Errors come back as GitHub sends them: HTTP 200
 * with `errors`.
 */
export const postGraphql: RouteHandler = async ({ sim, body }) => {
  const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string")
    return json({ errors: [{ message: "A query attribute must be specified and must be a string." }] });
  let operation: ReturnType<typeof parseGraphqlQuery>;
  try {
    operation = parseGraphqlQuery(query);
  } catch (error) {
    if (error instanceof GraphqlSyntaxError) return json({ errors: [{ message: error.message }] });
    throw error;
  }

  const errors: GraphqlError[] = [];
  const repositories: RepositoryField[] = [];
  for (const selection of operation.selections) {
    if (selection.kind !== "field" || selection.name !== "repository")
      return json({ errors: [unsupported()] });
    const repository = repositoryField(selection, variables, [operation.pathName], errors);
    if (!repository) return json({ errors: [unsupported()] });
    repositories.push(repository);
  }
  if (errors.length > 0) return json({ data: null, errors });

  const data: Record<string, unknown> = {};
  for (const field of repositories) {
    const repository = sim.repositories.get(repositoryKey(field.owner, field.name));
    if (!repository) {
      data[field.key] = null;
      errors.push({
        type: "NOT_FOUND",
        path: [field.key],
        message: `Could not resolve to a Repository with the name '${field.owner}/${field.name}'.`,
      });
      continue;
    }
    const values = await Promise.all(
      field.objects.map((object) => answerObjectField({ sim, repository }, object)),
    );
    const result: Record<string, unknown> = {};
    field.objects.forEach((object, index) => {
      result[object.key] = values[index];
    });
    data[field.key] = result;
  }
  return json(errors.length > 0 ? { data, errors } : { data });
};

/** The `object(…)` fields of one `repository(owner:, name:) { … }`, validated; undefined for other shapes. */
function repositoryField(
  field: GraphqlField,
  variables: Record<string, unknown>,
  path: string[],
  errors: GraphqlError[],
): RepositoryField | undefined {
  const key = field.alias ?? field.name;
  const owner = field.args.owner && argumentValue(field.args.owner, variables);
  const name = field.args.name && argumentValue(field.args.name, variables);
  if (!field.selections) return undefined;
  const objects: ObjectField[] = [];
  for (const selection of field.selections) {
    if (selection.kind !== "field" || selection.name !== "object") return undefined;
    const { oid, expression } = selection.args;
    const argument = oid ?? expression;
    if (!argument || Object.keys(selection.args).length !== 1 || !selection.selections) return undefined;
    const objectKey = selection.alias ?? selection.name;
    validate(selection.selections, "GitObject", [...path, key, objectKey], errors);
    objects.push({
      key: objectKey,
      by: oid ? "oid" : "expression",
      value: String(argumentValue(argument, variables) ?? ""),
      selections: selection.selections,
    });
  }
  if (objects.length === 0) return undefined;
  return { key, owner: String(owner ?? ""), name: String(name ?? ""), objects };
}

/** Checks selections against SCHEMA as GitHub validates a query before running it, with GitHub's messages. */
function validate(
  selections: GraphqlSelection[],
  type: TypeName,
  path: string[],
  errors: GraphqlError[],
): void {
  for (const selection of selections) {
    if (selection.kind === "fragment") {
      const fragmentPath = [...path, `... on ${selection.on}`];
      if (!Object.hasOwn(SCHEMA, selection.on)) {
        errors.push({
          message: `No such type ${selection.on}, so it can't be a fragment condition`,
          path: fragmentPath,
          extensions: { code: "undefinedType", typeName: selection.on },
        });
        continue;
      }
      const on = selection.on as TypeName;
      if (!possibleTypes(on).some((possible) => possibleTypes(type).includes(possible))) {
        errors.push({
          message: `Fragment on ${on} can't be spread inside ${type}`,
          path: fragmentPath,
          extensions: {
            code: "cannotSpreadFragment",
            typeName: on,
            fragmentName: "unknown",
            parentName: type,
          },
        });
        continue;
      }
      validate(selection.selections, on, fragmentPath, errors);
      continue;
    }
    const fieldPath = [...path, selection.alias ?? selection.name];
    const spec = Object.hasOwn(SCHEMA[type], selection.name) ? SCHEMA[type][selection.name] : undefined;
    if (!spec) {
      errors.push({
        message: `Field '${selection.name}' doesn't exist on type '${type}'`,
        path: fieldPath,
        extensions: { code: "undefinedField", typeName: type, fieldName: selection.name },
      });
      continue;
    }
    for (const argument of Object.keys(selection.args)) {
      errors.push({
        message: `Field '${selection.name}' doesn't accept argument '${argument}'`,
        path: [...fieldPath, argument],
        extensions: {
          code: "argumentNotAccepted",
          name: selection.name,
          typeName: "Field",
          argumentName: argument,
        },
      });
    }
    if (spec.selects && !selection.selections) {
      errors.push({
        message: `Field must have selections (field '${selection.name}' returns ${spec.returns} but has no selections. Did you mean '${selection.name} { ... }'?)`,
        path: fieldPath,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${selection.name}'`,
          typeName: spec.returns,
        },
      });
    } else if (!spec.selects && selection.selections) {
      const names = selection.selections.map((inner) =>
        inner.kind === "field" ? inner.name : `... on ${inner.on}`,
      );
      errors.push({
        message: `Selections can't be made on scalars (field '${selection.name}' returns ${spec.returns} but has selections [${names.map((inner) => JSON.stringify(inner)).join(", ")}])`,
        path: fieldPath,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${selection.name}'`,
          typeName: spec.returns,
        },
      });
    } else if (spec.selects && selection.selections) {
      validate(selection.selections, spec.selects, fieldPath, errors);
    }
  }
}

function possibleTypes(type: TypeName): TypeName[] {
  return type === "GitObject" ? ["Blob", "Tree", "Commit", "Tag"] : [type];
}

/** What answering needs: the repository, and the simulator's options for GitHub's nullable fields. */
type Answering = { sim: SimulatorState; repository: SimRepository };

async function answerObjectField(answering: Answering, field: ObjectField): Promise<unknown> {
  const object = await readObject(answering.repository, field);
  if (!object) return null;
  return select(
    answering,
    { sha: object.sha, type: object.type, load: async () => object },
    field.selections,
  );
}

async function readObject(repository: SimRepository, field: ObjectField): Promise<GitObject | null> {
  if (field.by === "oid") {
    return /^[0-9a-f]{40}$/.test(field.value) ? repository.git.read(field.value) : null;
  }
  const colon = field.value.indexOf(":");
  const rev = colon < 0 ? field.value : field.value.slice(0, colon);
  const commit = await resolveCommitSha(repository, rev);
  if (!commit) return null;
  // `<commit>:` is the commit's root tree, `<commit>:a/b` the object at that path.
  return repository.git.read(colon < 0 ? commit : `${commit}:${field.value.slice(colon + 1)}`);
}

/** The response object for `selections` on a git object or tree entry, fragments applied by its runtime type. */
async function select(
  answering: Answering,
  node: ObjectNode | EntryNode,
  selections: GraphqlSelection[],
): Promise<Record<string, unknown>> {
  const isEntry = !("load" in node);
  const typeName: TypeName = isEntry ? "TreeEntry" : TYPE_NAMES[node.type];
  const selected: Record<string, unknown> = {};
  for (const selection of selections) {
    if (selection.kind === "fragment") {
      if (selection.on !== typeName && !(selection.on === "GitObject" && !isEntry)) continue;
      for (const [key, value] of Object.entries(await select(answering, node, selection.selections))) {
        merge(selected, key, value);
      }
      continue;
    }
    const value = isEntry
      ? await entryField(answering, node, selection)
      : await objectField(answering, node as ObjectNode, selection);
    merge(selected, selection.alias ?? selection.name, value);
  }
  return selected;
}

async function entryField(answering: Answering, entry: EntryNode, field: GraphqlField): Promise<unknown> {
  if (field.name === "__typename") return "TreeEntry";
  if (field.name !== "object") return entry[field.name as keyof EntryNode];
  // `TreeEntry.object`: the entry's git object (its bytes read only if a field needs them), null when the repository
  // lacks it (a submodule's commit)
  const { repository } = answering;
  if (entry.type === "commit") {
    const object = await repository.git.read(entry.oid);
    if (!object) return null;
    return select(
      answering,
      { sha: entry.oid, type: object.type, load: async () => object },
      field.selections ?? [],
    );
  }
  const node: ObjectNode = {
    sha: entry.oid,
    type: entry.type,
    load: () => readExisting(repository, entry.oid),
  };
  return select(answering, node, field.selections ?? []);
}

async function objectField(answering: Answering, node: ObjectNode, field: GraphqlField): Promise<unknown> {
  const { sim, repository } = answering;
  switch (field.name) {
    case "__typename":
      return TYPE_NAMES[node.type];
    case "oid":
      return node.sha;
    case "abbreviatedOid":
      return node.sha.slice(0, 7);
    case "id":
      return `O_${node.sha}`;
  }
  const object = await node.load();
  switch (field.name) {
    case "byteSize":
      return object.size;
    case "isBinary":
      // "Returns null if unable to determine the encoding", says GitHub's schema: an app must not count on a boolean.
      return object.size > sim.blobIsBinaryUnknownAbove ? null : isBinary(object.content);
    case "isTruncated":
      return object.size > GRAPHQL_TEXT_LIMIT;
    case "text":
      if (isBinary(object.content)) return null;
      return object.content.subarray(0, GRAPHQL_TEXT_LIMIT).toString("utf8");
    case "entries": {
      const entries = treeEntries(object.content);
      // `[TreeEntry!]` is nullable in GitHub's schema: an app must cope with a tree that lists nothing.
      if (entries.length > sim.treeEntriesNullAbove) return null;
      return Promise.all(entries.map((entry) => select(answering, entry, field.selections ?? [])));
    }
    case "tree": {
      const commit = await readCommitInfo(repository, node.sha);
      if (!commit) return null;
      const tree: ObjectNode = {
        sha: commit.tree,
        type: "tree",
        load: () => readExisting(repository, commit.tree),
      };
      return select(answering, tree, field.selections ?? []);
    }
    default:
      return undefined;
  }
}

async function readExisting(repository: SimRepository, sha: string): Promise<GitObject> {
  const object = await repository.git.read(sha);
  if (!object) throw new Error(`git object ${sha} is missing from the repository`);
  return object;
}

/**
 * The entries of a raw tree object (`<octal mode> <name>\0<20-byte SHA>` repeated), in git's order. GitHub's `mode`
 * is the octal mode read as a number: 100644 → 33188, 40000 → 16384.
 */
function treeEntries(content: Buffer): EntryNode[] {
  const entries: EntryNode[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > content.length) throw new Error("malformed tree object");
    const mode = content.toString("latin1", at, space);
    entries.push({
      name: content.toString("utf8", space + 1, nul),
      mode: Number.parseInt(mode, 8),
      type: mode === "40000" ? "tree" : mode === "160000" ? "commit" : "blob",
      oid: content.toString("hex", nul + 1, nul + 21),
    });
    at = nul + 21;
  }
  return entries;
}

/** Sets `key`, merging with what a field of the same response name already put there (GraphQL field merging). */
function merge(target: Record<string, unknown>, key: string, value: unknown): void {
  const existing = target[key];
  if (isPlainObject(existing) && isPlainObject(value)) {
    for (const [inner, innerValue] of Object.entries(value)) merge(existing, inner, innerValue);
  } else if (Array.isArray(existing) && Array.isArray(value) && existing.length === value.length) {
    target[key] = existing.map((item, index) => {
      const wrapper: Record<string, unknown> = { item };
      merge(wrapper, "item", value[index]);
      return wrapper.item;
    });
  } else {
    target[key] = value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

function argumentValue(argument: GraphqlArgument, variables: Record<string, unknown>): unknown {
  return "variable" in argument ? variables[argument.variable] : argument.literal;
}

function unsupported(): GraphqlError {
  return {
    message:
      "simulator: only `repository(owner:, name:) { alias: object(oid:|expression:) { ... on Blob|Tree|Commit { … } } }` queries are supported",
  };
}
