/**
 * Who a request acts for. `operator`: API_TOKEN, all access. `local`: a loopback client when sign-in is not set up
 * (the laptop case), all access. `person`: someone signed in with GitHub, through a session cookie or a personal
 * token; they see what GitHub lets them read, and a token's `read` scope forbids every action.
 */
export type Principal =
  | { kind: "operator" }
  | { kind: "local" }
  | {
      kind: "person";
      userId: string;
      login: string;
      via: "session" | "token";
      scope: "read" | "write";
      /** the session a cookie named (to end it at sign-out) */
      sessionId?: string;
    };
