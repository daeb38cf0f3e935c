import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { indexSearchBacklog } from "../../src/memory/index-search-backlog.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

/** The indexer yields to a repository's first or full sync (which writes its whole tree's text), never to a push. */
describe("indexSearchBacklog", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const makeRepository = async (name: string, blobs: number): Promise<Repository> => {
    const repository = await database.db.repository.create({
      data: { key: `octo/${name}`, owner: "octo", name, defaultBranch: "main" },
    });
    await database.db.repositoryFile.createMany({
      data: Array.from({ length: blobs }, (_, index) => ({
        repositoryId: repository.id,
        sha: `${name}${index}`.padEnd(40, "0"),
        kind: "blob" as const,
        size: 5,
        isBinary: false,
        content: `text ${index}`,
      })),
    });
    return repository;
  };
  const indexedOf = (repository: Repository) =>
    database.db.repositoryFile.count({ where: { repositoryId: repository.id, searchIndexed: true } });

  it("leaves a repository whose first or full sync runs for after it, and indexes the others meanwhile", async () => {
    const first = await makeRepository("first", 3);
    const full = await makeRepository("full", 2);
    const pushed = await makeRepository("pushed", 4);
    const running = (repository: Repository, data: { full?: boolean } = {}) =>
      database.db.projectSync.create({
        data: { repositoryId: repository.id, branch: "main", trigger: "push", status: "running", ...data },
      });
    const firstSync = await running(first);
    for (const repository of [full, pushed]) {
      await database.db.projectSync.create({
        data: {
          repositoryId: repository.id,
          branch: "main",
          trigger: "push",
          status: "succeeded",
          generation: 1,
        },
      });
    }
    const fullSync = await running(full, { full: true });
    await running(pushed); // an ordinary push: its repository's blobs are indexed at once

    expect(await indexSearchBacklog(database.db, { limit: 100 })).toBe(4);
    expect([await indexedOf(first), await indexedOf(full), await indexedOf(pushed)]).toEqual([0, 0, 4]);

    await database.db.projectSync.update({
      where: { id: firstSync.id },
      data: { status: "succeeded", generation: 1 },
    });
    await database.db.projectSync.update({ where: { id: fullSync.id }, data: { status: "failed" } });
    expect(await indexSearchBacklog(database.db, { limit: 100 })).toBe(5);
    expect([await indexedOf(first), await indexedOf(full)]).toEqual([3, 2]);
    expect(await indexSearchBacklog(database.db, { limit: 100 })).toBe(0);
  });
});
