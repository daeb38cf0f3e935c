import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { upsertRepository } from "../../src/service/upsert-repository.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("upsertRepository", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
  });

  const upsert = (githubId: number, fullName: string, installationId = 1) => {
    const [owner = "", name = ""] = fullName.split("/");
    return upsertRepository(
      { db: database.db },
      { githubId, owner, name, defaultBranch: "main", isPrivate: false, installationId },
    );
  };
  const keys = async () =>
    Object.fromEntries(
      (await database.db.repository.findMany({ orderBy: { githubId: "asc" } })).map((row) => [
        String(row.githubId),
        row.key,
      ]),
    );

  it("a repository renamed while the app heard nothing, whose old name another repository then took: both kept", async () => {
    await upsert(1, "octo/app");

    const newcomer = await upsert(2, "octo/app");
    expect(await keys()).toEqual({ "1": "octo/app#1", "2": "octo/app" });
    const renamed = await upsert(1, "octo/app-legacy");

    expect(newcomer.key).toBe("octo/app");
    expect(renamed.key).toBe("octo/app-legacy");
    expect(await keys()).toEqual({ "1": "octo/app-legacy", "2": "octo/app" });
  });

  it("two repositories that swapped names", async () => {
    await upsert(1, "octo/a");
    await upsert(2, "octo/b");

    await upsert(1, "octo/b");
    await upsert(2, "octo/a");

    expect(await keys()).toEqual({ "1": "octo/b", "2": "octo/a" });
  });

  it("writes nothing when nothing changed, and the installation and names when they did", async () => {
    const first = await upsert(1, "octo/a");
    const again = await upsert(1, "octo/a");
    const moved = await upsert(1, "Octo/A", 9);

    expect(again.updatedAt).toEqual(first.updatedAt);
    expect(moved).toMatchObject({ key: "octo/a", owner: "Octo", name: "A", installationId: 9n });
  });

  it("keeps the installation when none is given (the CLI with a token)", async () => {
    await upsert(1, "octo/a", 5);

    const fromCli = await upsertRepository(
      { db: database.db },
      { githubId: 1, owner: "octo", name: "a", defaultBranch: "trunk", isPrivate: false },
    );

    expect(fromCli).toMatchObject({ installationId: 5n, defaultBranch: "trunk" });
  });
});
