import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "../../src/logger.js";
import { loadRepoConfig } from "../../src/repo-config/load-repo-config.js";
import { refreshRepoConfig } from "../../src/repo-config/refresh-repo-config.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const CONFIG = "/repos/octo-org/hello-world/contents/.github%2Fproject-sync.yml";
const ORG_CONFIG = "/repos/octo-org/.github/contents/.github%2Fproject-sync.yml";
const RAW = { "content-type": "application/vnd.github.raw; charset=utf-8" };
const NOT_FOUND = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/repo-config/${name}`, import.meta.url), "utf8");
}

const load = () => loadRepoConfig({ client: testOctokit(), owner: "octo-org", repo: "hello-world" });

describe("loadRepoConfig", () => {
  const github = useNockGitHub();

  it("reads the repository's file raw, in one request, and normalises it", async () => {
    github.api().get(CONFIG).reply(200, fixture("valid.yml"), RAW);

    const state = await load();

    expect(state).toEqual({
      config: {
        branches: ["main", "release/*"],
        paths: { include: ["docs/**", "src/**"], exclude: ["**/*.snap"] },
        maxFileSizeBytes: 2097152,
      },
      error: null,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(github.requests()).toEqual([{ method: "GET", path: CONFIG, body: undefined }]);
  });

  it("falls back to the owner's .github repository, and to the defaults when neither has the file", async () => {
    github.api().get(CONFIG).reply(404, NOT_FOUND).get(ORG_CONFIG).reply(404, NOT_FOUND);

    expect(await load()).toEqual({ config: null, error: null, digest: null });
    expect(github.requests().map((request) => request.path)).toEqual([CONFIG, ORG_CONFIG]);
  });

  it("takes the owner's shared config, following _extends", async () => {
    github
      .api()
      .get(CONFIG)
      .reply(200, "_extends: .github\nmaxFileSizeBytes: 4096\n", RAW)
      .get(ORG_CONFIG)
      .reply(200, "branches: [main]\nmaxFileSizeBytes: 1024\n", RAW);

    const state = await load();

    expect(state.config).toEqual({ branches: ["main"], maxFileSizeBytes: 4096 });
  });

  it("reports an empty file as the defaults", async () => {
    github.api().get(CONFIG).reply(200, fixture("empty.yml"), RAW);

    expect(await load()).toEqual({ config: {}, error: null, digest: null });
  });

  it("reports a typo, wrong types, broken YAML, a list and hostile files as readable errors", async () => {
    const cases: [string, string][] = [
      ["typo.yml", '.github/project-sync.yml: paths: Unrecognized key: "inlcude"'],
      [
        "wrong-types.yml",
        ".github/project-sync.yml: branches: Invalid input: expected array, received string; paths.include.0: Invalid input: expected string, received number; maxFileSizeBytes: Too small: expected number to be >0",
      ],
      [
        "not-yaml.txt",
        ".github/project-sync.yml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1:",
      ],
      [
        "list.yml",
        ".github/project-sync.yml: expected a mapping of settings (branches, paths, maxFileSizeBytes), got a list",
      ],
      [
        "hostile.yml",
        '.github/project-sync.yml: maxFileSizeBytes: at most 104857600 (100 MiB); Unrecognized key: "__proto__"',
      ],
      [
        "billion-laughs.yml",
        ".github/project-sync.yml: not valid YAML: Excessive alias count indicates a resource exhaustion attack",
      ],
    ];
    for (const [name] of cases) github.api().get(CONFIG).reply(200, fixture(name), RAW);

    const errors = [];
    for (const _ of cases) errors.push((await load()).error);

    expect(errors).toEqual(cases.map(([, error]) => error));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("throws a GitHub failure as an AppError (the caller keeps the stored config)", async () => {
    github.api().get(CONFIG).reply(500, { message: "boom" });

    await expect(load()).rejects.toMatchObject({ code: "GITHUB_UNAVAILABLE" });
  });
});

describe("refreshRepoConfig", () => {
  const github = useNockGitHub();
  let database: TestDatabase;
  const now = new Date("2026-11-25T12:00:00Z");
  const deps = () => ({ db: database.db, now: () => now, log: silentLogger });
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const createRepository = () =>
    database.db.repository.create({
      data: {
        githubId: BigInt(Math.floor(Math.random() * 1e9)),
        key: `octo-org/hello-world-${Math.random()}`,
        owner: "octo-org",
        name: "hello-world",
        defaultBranch: "main",
      },
    });

  it("stores config, error, digest and the time it was read", async () => {
    const repository = await createRepository();
    github
      .api()
      .get(CONFIG)
      .reply(200, fixture("valid.yml"), RAW)
      .get(CONFIG)
      .reply(200, fixture("typo.yml"), RAW);

    const valid = await refreshRepoConfig(deps(), { repository, client: testOctokit() });
    const invalid = await refreshRepoConfig(deps(), { repository: valid, client: testOctokit() });

    expect(valid).toMatchObject({
      config: { branches: ["main", "release/*"] },
      configError: null,
      configDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      configLoadedAt: now,
    });
    expect(invalid).toMatchObject({
      config: null,
      configError: '.github/project-sync.yml: paths: Unrecognized key: "inlcude"',
      configDigest: null,
      configLoadedAt: now,
    });
  });

  it("keeps the stored config when GitHub fails", async () => {
    const repository = await createRepository();
    github
      .api()
      .get(CONFIG)
      .reply(200, "maxFileSizeBytes: 10\n", RAW)
      .get(CONFIG)
      .reply(503, { message: "unavailable" });
    const loaded = await refreshRepoConfig(deps(), { repository, client: testOctokit() });

    const after = await refreshRepoConfig(deps(), { repository: loaded, client: testOctokit() });

    expect(after).toEqual(loaded);
    expect(await database.db.repository.findUniqueOrThrow({ where: { id: repository.id } })).toMatchObject({
      config: { maxFileSizeBytes: 10 },
      configLoadedAt: now,
    });
  });
});
