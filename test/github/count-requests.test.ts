import { describe, expect, it } from "@jest/globals";
import { countRequests } from "../../src/github/count-requests.js";
import { fetchBlobContents } from "../../src/github/fetch-blob-contents.js";
import { fetchRepository } from "../../src/github/fetch-repository.js";
import { gitBlobSha } from "../../src/github/git-blob-sha.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

describe("countRequests", () => {
  const github = useNockGitHub();

  it("counts REST and GraphQL calls, failed ones included, and the bytes received", async () => {
    const content = Buffer.from("x".repeat(1000));
    const sha = gitBlobSha(content);
    const graphql = {
      data: {
        repository: { b0: { oid: sha, byteSize: 1000, isBinary: false, isTruncated: true, text: "xxx" } },
      },
    };
    github
      .api()
      .get("/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"))
      .get("/repos/octo-org/gone")
      .reply(404, { message: "Not Found" })
      .post("/graphql")
      .reply(200, graphql)
      .get(`/repos/octo-org/hello-world/git/blobs/${sha}`)
      .reply(200, content, { "content-type": "application/vnd.github.raw" });
    const counted = countRequests(testOctokit());

    await fetchRepository({ client: counted.client, owner: "octo-org", repo: "hello-world" });
    await expect(
      fetchRepository({ client: counted.client, owner: "octo-org", repo: "gone" }),
    ).rejects.toMatchObject({
      code: "REPOSITORY_NOT_FOUND",
    });
    const batches = [];
    for await (const batch of fetchBlobContents({
      client: counted.client,
      owner: "octo-org",
      repo: "hello-world",
      blobs: [{ sha, size: 1000 }],
      maxFileSizeBytes: 10_000,
    })) {
      batches.push(batch);
    }

    expect(batches.flat().map((blob) => blob.content)).toEqual(["x".repeat(1000)]);
    expect(counted.stats()).toEqual({
      requests: 4,
      bytes:
        JSON.stringify(githubFixture("repository.json")).length +
        JSON.stringify(graphql.data).length +
        content.length,
    });
  });

  it("starts at zero and keeps separate counts per wrapper", () => {
    const octokit = testOctokit();

    expect(countRequests(octokit).stats()).toEqual({ requests: 0, bytes: 0 });
  });
});
