import type { Context } from "probot";
import { z } from "zod";
import { addCommentReaction, type CommentReaction } from "../github/add-comment-reaction.js";
import { canWrite } from "../github/can-write.js";
import { replyOnIssue } from "../github/reply-on-issue.js";
import { fromPayloadRepository } from "./from-payload-repository.js";
import { parseSlashCommand } from "./parse-slash-command.js";
import type { ProjectSyncAppDeps } from "./project-sync-app-deps.js";
import { requestSync } from "./request-sync.js";
import { resolveCommentTarget } from "./resolve-comment-target.js";
import { invalidCommandReply, SLASH_COMMAND_USAGE } from "./slash-command-replies.js";
import { payloadInstallationSchema, payloadRepositorySchema, payloadUserSchema } from "./webhook-schemas.js";

export const commentSchema = z.object({
  // a deleted account's comments have no user (nullable in GitHub's description)
  comment: z.object({
    id: z.number().int(),
    body: z.string().nullable(),
    user: payloadUserSchema.nullable(),
  }),
  issue: z.object({ number: z.number().int(), pull_request: z.object({}).nullish() }),
  repository: payloadRepositorySchema,
  installation: payloadInstallationSchema,
});

/**
 * `issue_comment.created`: the `/sync` slash command. Bots are ignored; only people with write access may run it
 * (others get `confused` and a reply); an accepted command queues a sync of the pull request's branch (on an issue,
 * the default branch; or the branch it names) and gets `eyes`. The reporter adds `rocket` or `-1` when it ends.
 */
export function handleIssueComment(deps: ProjectSyncAppDeps) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const payload = commentSchema.parse(context.payload);
    const { comment, issue } = payload;
    if (!comment.user) return;
    const author = comment.user.login;
    if (comment.user.type === "Bot" || author.endsWith("[bot]")) return;
    const command = parseSlashCommand(comment.body ?? "");
    if (!command) return;

    const client = context.octokit;
    const ref = { client, owner: payload.repository.owner.login, repo: payload.repository.name };
    const reply = (body: string) =>
      deps.tasks.run(`Reply on ${ref.owner}/${ref.repo}#${issue.number}`, () =>
        replyOnIssue({ ...ref, issueNumber: issue.number, body }),
      );
    const react = (content: CommentReaction) =>
      deps.tasks.run(`Reaction ${content} on comment ${comment.id}`, () =>
        addCommentReaction({ ...ref, commentId: comment.id, content }),
      );

    if (!(await canWrite({ ...ref, username: author }))) {
      react("confused");
      reply(`@${author} only people with write access to ${ref.owner}/${ref.repo} can run \`/sync\`.`);
      return;
    }
    if (command.kind === "help") {
      reply(SLASH_COMMAND_USAGE);
      return;
    }
    if (command.kind === "invalid") {
      reply(invalidCommandReply(command.problem, command.suggestion));
      return;
    }

    const requested = await requestSync(deps, {
      repository: { upsert: fromPayloadRepository(payload.repository, payload.installation.id) },
      client,
      reloadConfig: "always",
      target: (repository) =>
        resolveCommentTarget({
          client,
          repository,
          branch: command.branch,
          pullNumber: issue.pull_request ? issue.number : null,
        }),
      sync: () => ({
        full: command.full,
        trigger: "comment",
        commentId: BigInt(comment.id),
        requestedBy: author,
        deliveryId: context.id,
        checkRun: true,
      }),
    });
    if (requested.outcome === "refused") reply(requested.refusal);
    else if (requested.outcome === "untracked") {
      reply(
        `\`${requested.branch}\` is not synced: the \`branches\` of .github/project-sync.yml do not include it.`,
      );
    } else if (requested.recorded.created) react("eyes");
  };
}
