import { z } from "zod";
import type { GitHubClient } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

const PER_PAGE = 100;
const installationsSchema = z.array(
  z.object({ id: z.number().int().positive(), suspended_at: z.string().nullish() }),
);

/** An installation of the app: its id, and since when it is suspended (null or absent: it is not). */
export type GitHubInstallation = z.infer<typeof installationsSchema>[number];

/** Every installation of the app (`GET /app/installations`, 100 a page); needs a client authenticated as the app. */
export async function fetchInstallations(client: GitHubClient): Promise<GitHubInstallation[]> {
  const all: GitHubInstallation[] = [];
  for (let page = 1; ; page += 1) {
    let installations: GitHubInstallation[];
    try {
      const response = await client.request("GET /app/installations", { per_page: PER_PAGE, page });
      installations = installationsSchema.parse(response.data);
    } catch (error) {
      throw mapGitHubError(error, { what: "the app's installations" });
    }
    all.push(...installations);
    if (installations.length < PER_PAGE) return all;
  }
}
