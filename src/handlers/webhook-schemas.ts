import { z } from "zod";

/** `repository` of a webhook payload: the fields the app stores. */
export const payloadRepositorySchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  default_branch: z.string().min(1),
  private: z.boolean(),
});

/** `installation` of a webhook payload (every event an installed app receives has it). */
export const payloadInstallationSchema = z.object({ id: z.number().int().positive() });

/** `sender` / `comment.user`: who did it. */
export const payloadUserSchema = z.object({ login: z.string().min(1), type: z.string().optional() });

/** A repository as installation events list it: no owner object and no default branch. */
export const installedRepositorySchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  full_name: z.string().includes("/"),
  private: z.boolean().optional(),
});

export type InstalledRepository = z.infer<typeof installedRepositorySchema>;
