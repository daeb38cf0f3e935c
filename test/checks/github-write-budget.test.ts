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
    await database.db.gitHubWrite.deleteMany();
    clock = Date.parse("2026-12-05T12:00:00.000Z");
  });

  const budget = (perMinute = 10, perHour = 100) =>
    createGitHubWriteBudget({ db: database.db, now: () => new Date(clock), perMinute, perHour });

  it("grants a minute's writes, then tells when the oldest leaves the window and the next may go", async () => {
    const writes = budget(10, 100);
    const grants = [];
    for (let i = 0; i < 10; i += 1) {
      grants.push(await writes.take("installation:1", "complete"));
      clock += 1_000;
    }
    grants.push(await writes.take("installation:1", "complete"));

    expect(grants.slice(0, 10).every((grant) => grant.granted)).toBe(true);
    // the first write (at t0) leaves the 60 s window at t0 + 60 s
    const t0 = clock - 10_000;
    expect(grants[10]).toEqual({ granted: false, retryAt: new Date(t0 + 60_001) });
    clock = t0 + 60_001;
    expect(await writes.take("installation:1", "complete")).toEqual({ granted: true });
    expect(await writes.take("installation:1", "complete")).toMatchObject({ granted: false });
  });

  it("never grants more than the limits in any sliding minute or hour, however the attempts are spread", async () => {
    const writes = budget(8, 20);
    const granted: number[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let attempt = 0; attempt < 120; attempt += 1) {
      clock += Math.floor(random() * 20_000);
      if ((await writes.take("installation:1", "complete")).granted) granted.push(clock);
    }

    const most = (windowMs: number) =>
      Math.max(
        ...granted.map((start) => granted.filter((at) => at >= start && at < start + windowMs).length),
      );
    expect(most(60_000)).toBeLessThanOrEqual(8);
    expect(most(3_600_000)).toBeLessThanOrEqual(20);
    expect(granted.length).toBeGreaterThanOrEqual(20);
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

    // 60 in the first minute, 30 in the second, none in the third: the hour holds 90
    expect(granted).toBe(90);
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
