import { listUsers, type UserView } from "../../auth/list-users.js";
import { revokeUserAccess } from "../../auth/revoke-user-access.js";
import { formatTable, formatTime, printable } from "../format-text.js";
import type { UsersCommand } from "../parse-cli-args.js";
import type { CommandContext } from "./command-context.js";

/**
 * `users [<login>]`: who signed in with GitHub, with their live sessions and personal tokens (never a secret);
 * `users revoke <login>`: ends them all now, over the same functions as `/api/v1/admin/users`.
 */
export async function runUsersCommand(context: CommandContext, command: UsersCommand): Promise<number> {
  if (command.action === "revoke") {
    const revoked = await revokeUserAccess(context.deps, { login: command.login });
    const text = `Revoked ${revoked.sessions} session(s) and ${revoked.tokens} personal token(s) of ${printable(command.login)}.\n`;
    await context.out.write(context.json ? `${JSON.stringify(revoked, null, 2)}\n` : text);
    return 0;
  }
  const users = await listUsers(context.deps, { login: command.login });
  await context.out.write(context.json ? `${JSON.stringify({ users }, null, 2)}\n` : formatUsers(users));
  return 0;
}

function formatUsers(users: UserView[]): string {
  if (users.length === 0) return "Nobody has signed in with GitHub (or nobody with that login).\n";
  const rows = users.flatMap((user) => [
    [printable(user.login), `github id ${user.githubId}`, "", ""],
    ...user.sessions.map((session) => [
      "",
      `session ${session.id}`,
      `seen ${formatTime(session.lastSeenAt.toISOString())}`,
      `expires ${formatTime(session.expiresAt.toISOString())}`,
    ]),
    ...user.tokens.map((token) => [
      "",
      `token ${token.id}`,
      `${token.scope} "${printable(token.name)}"`,
      token.lastUsedAt ? `used ${formatTime(token.lastUsedAt.toISOString())}` : "never used",
    ]),
  ]);
  return formatTable([["LOGIN", "WHAT", "", ""], ...rows]);
}
