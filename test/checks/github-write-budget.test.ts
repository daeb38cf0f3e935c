import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createGitHubWriteBudget, writeBudgetKey } from "../../src/checks/github-write-budget.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("createGitHubWriteBudget", () => {
  let database: TestDatabase;
  let clock: number;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.gitHubWriteBudget.deleteMany();
    clock = Date.parse("2026-12-05T12:00:00.000Z");
  });

  const budget = (perMinute = 10, perHour = 100) =>
    createGitHubWriteBudget({ db: database.db, now: () => new Date(clock), perMinute, perHour });

  it("grants a minute's writes, then tells when the next one may go, refilling continuously", async () => {
    const writes = budget(10, 100);
    const grants = [];
    for (let i = 0; i < 11; i += 1) grants.push(await writes.take("installation:1", "complete"));

    expect(grants.slice(0, 10).every((grant) => grant.granted)).toBe(true);
    // one token comes back every 6 s
    expect(grants[10]).toEqual({ granted: false, retryAt: new Date(clock + 6_000) });
    clock += 6_000;
    expect(await writes.take("installation:1", "complete")).toEqual({ granted: true });
  });

  it("keeps a share of the budget for completions: creations stop at 10 %, progress at 50 %", async () => {
    const writes = budget(10, 100);
    const taken = { progress: 0, create: 0, complete: 0 };
    for (const priority of ["progress", "create", "complete"] as const) {
      while ((await writes.take("installation:1", priority)).granted) taken[priority] += 1;
    }

    expect(taken).toEqual({ progress: 5, create: 4, complete: 1 });
  });

  it("bounds an hour as well as a minute, and keeps installations apart", async () => {
    const writes = budget(60, 90);
    let granted = 0;
    for (let minute = 0; minute < 3; minute += 1) {
      while ((await writes.take("installation:1", "complete")).granted) granted += 1;
      clock += 60_000;
    }

    // 60 in the first minute, then the hour's bucket (90, refilling 1.5 a minute) allows only what is left
    expect(granted).toBeLessThanOrEqual(90 + 3 * 1.5);
    expect(granted).toBeGreaterThanOrEqual(90);
    expect(await writes.take("installation:2", "complete")).toEqual({ granted: true });
  });

  it("shares one budget between processes (two budgets on one database)", async () => {
    const first = budget(4, 100);
    const second = budget(4, 100);

    const grants = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? first : second).take("installation:1", "complete")),
    );

    expect(grants.filter((grant) => grant.granted)).toHaveLength(4);
  });

  it("grants everything when the budget is off (0), and keys writes by installation", async () => {
    const off = budget(0, 0);
    for (let i = 0; i < 100; i += 1)
      expect((await off.take("installation:1", "progress")).granted).toBe(true);
    expect(writeBudgetKey({ installationId: 7n, owner: "o", name: "r" })).toBe("installation:7");
    expect(writeBudgetKey({ installationId: null, owner: "Octo", name: "R" })).toBe("repository:octo/r");
  });
});
