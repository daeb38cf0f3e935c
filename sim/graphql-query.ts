/** An argument as written: a literal (string, number, boolean, null, enum name) or a `$variable`. */
export type GraphqlArgument = { literal: unknown } | { variable: string };

export type GraphqlField = {
  kind: "field";
  alias: string | undefined;
  name: string;
  args: Record<string, GraphqlArgument>;
  /** undefined when the field has no `{ … }` */
  selections: GraphqlSelection[] | undefined;
};

export type GraphqlInlineFragment = { kind: "fragment"; on: string; selections: GraphqlSelection[] };

export type GraphqlSelection = GraphqlField | GraphqlInlineFragment;

/** One query operation: its name as GitHub puts it first in error paths (`query` or `query Name`), and its fields. */
export type GraphqlOperation = { pathName: string; selections: GraphqlSelection[] };

/** A query the parser cannot read; `message` is what the simulator answers in `errors`. */
export class GraphqlSyntaxError extends Error {}

type Token = { kind: "name" | "string" | "number" | "punctuator"; text: string; at: number };

const IGNORED = /(?:[\s,\uFEFF]|#[^\n\r]*)+/y;
const TOKEN =
  /(\.\.\.|[{}():$!=[\]@])|([_A-Za-z][_0-9A-Za-z]*)|("(?:[^"\\\n\r]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

/**
 * Parses the one query operation of a GraphQL document into nested selections: fields with alias, arguments and
 * sub-selections, and inline fragments (`... on Type { … }`) nested to any depth. Named fragments, directives,
 * list and object arguments are beyond the simulator and raise GraphqlSyntaxError, as malformed text does.
 * @example parseGraphqlQuery('{ repository(owner: "o", name: "n") { object(oid: "…") { oid } } }')
 */
export function parseGraphqlQuery(query: string): GraphqlOperation {
  const parser = new Parser(tokenize(query), query);
  return parser.operation();
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < query.length) {
    IGNORED.lastIndex = at;
    if (IGNORED.exec(query)) at = IGNORED.lastIndex;
    if (at >= query.length) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(query);
    if (!match)
      throw new GraphqlSyntaxError(
        `Parse error on ${JSON.stringify(query.charAt(at))} at ${where(query, at)}`,
      );
    const kind = match[1] ? "punctuator" : match[2] ? "name" : match[3] ? "string" : "number";
    tokens.push({ kind, text: match[0], at });
    at = TOKEN.lastIndex;
  }
  return tokens;
}

function where(query: string, at: number): string {
  const before = query.slice(0, at).split("\n");
  return `[${before.length}, ${(before.at(-1)?.length ?? 0) + 1}]`;
}

class Parser {
  private next = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly query: string,
  ) {}

  operation(): GraphqlOperation {
    let pathName = "query";
    if (this.peek()?.text === "query") {
      this.next += 1;
      const name = this.peek();
      if (name?.kind === "name") {
        this.next += 1;
        pathName = `query ${name.text}`;
      }
      if (this.peek()?.text === "(") this.skipVariableDefinitions();
    }
    const selections = this.selectionSet();
    if (this.peek()) this.fail(this.peek());
    return { pathName, selections };
  }

  /** `($owner: String!, $name: String! = "x")`: the simulator takes variables as sent, so only skips these. */
  private skipVariableDefinitions(): void {
    this.expect("(");
    while (this.peek()?.text !== ")") {
      if (!this.peek()) this.fail(undefined);
      this.next += 1;
    }
    this.expect(")");
  }

  private selectionSet(): GraphqlSelection[] {
    this.expect("{");
    const selections: GraphqlSelection[] = [];
    while (this.peek()?.text !== "}") {
      selections.push(this.peek()?.text === "..." ? this.inlineFragment() : this.field());
    }
    this.expect("}");
    if (selections.length === 0) this.fail(this.tokens[this.next - 1]);
    return selections;
  }

  private inlineFragment(): GraphqlInlineFragment {
    this.expect("...");
    const on = this.name();
    if (on.text !== "on") {
      throw new GraphqlSyntaxError(
        `simulator: fragment spreads (...${on.text}) are not supported; use ... on Type { }`,
      );
    }
    const type = this.name().text;
    return { kind: "fragment", on: type, selections: this.selectionSet() };
  }

  private field(): GraphqlField {
    let name = this.name().text;
    let alias: string | undefined;
    if (this.peek()?.text === ":") {
      this.next += 1;
      alias = name;
      name = this.name().text;
    }
    const args: Record<string, GraphqlArgument> = {};
    if (this.peek()?.text === "(") {
      this.next += 1;
      while (this.peek()?.text !== ")") {
        const argument = this.name().text;
        this.expect(":");
        args[argument] = this.value();
      }
      this.expect(")");
    }
    if (this.peek()?.text === "@") throw new GraphqlSyntaxError("simulator: directives are not supported");
    const selections = this.peek()?.text === "{" ? this.selectionSet() : undefined;
    return { kind: "field", alias, name, args, selections };
  }

  private value(): GraphqlArgument {
    const token = this.take();
    if (token.text === "$") return { variable: this.name().text };
    if (token.kind === "string") return { literal: JSON.parse(token.text) };
    if (token.kind === "number") return { literal: Number(token.text) };
    if (token.kind === "name") {
      const keywords: Record<string, unknown> = { true: true, false: false, null: null };
      return { literal: token.text in keywords ? keywords[token.text] : token.text };
    }
    if (token.text === "[" || token.text === "{") {
      throw new GraphqlSyntaxError("simulator: list and object arguments are not supported");
    }
    return this.fail(token);
  }

  private name(): Token {
    const token = this.take();
    if (token.kind !== "name") this.fail(token);
    return token;
  }

  private expect(text: string): void {
    const token = this.take();
    if (token.text !== text) this.fail(token);
  }

  private take(): Token {
    const token = this.peek();
    if (!token) return this.fail(undefined);
    this.next += 1;
    return token;
  }

  private peek(): Token | undefined {
    return this.tokens[this.next];
  }

  private fail(token: Token | undefined): never {
    if (!token) throw new GraphqlSyntaxError("Parse error on end of file");
    throw new GraphqlSyntaxError(
      `Parse error on ${JSON.stringify(token.text)} at ${where(this.query, token.at)}`,
    );
  }
}
