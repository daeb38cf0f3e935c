import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { archiveCommit } from "../git/archive-commit.js";
import { notFound } from "../reply.js";
import { resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import { requireRepository } from "../simulator-state.js";
import { tarballPrefix } from "../tarball-cache.js";

/** `GET /repos/{owner}/{repo}/tarball/{ref}`: a redirect to the archive of the commit, as GitHub sends to codeload. */
export const getTarball: RouteHandler = async ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  const sha = await resolveCommitSha(repository, params.ref ?? "");
  if (!sha) throw notFound();
  const location = `${sim.url}/_codeload/${repository.owner}/${repository.name}/legacy.tar.gz/${sha}`;
  return { status: 302, headers: { location }, body: "" };
};

/**
 * `GET /_codeload/{owner}/{repo}/legacy.tar.gz/{ref}`: `git archive` of the commit, gzipped as it streams (never held
 * whole), or the file prepareTarball built. Entries sit under `{owner}-{repo}-{sha7}/` and the tar starts with a pax
 * global header holding the commit id, as GitHub's legacy tarballs do.
 */
export const getCodeloadTarball: RouteHandler = async ({ sim, params, response }) => {
  const repository = requireRepository(sim, params);
  const sha = await resolveCommitSha(repository, params.ref ?? "");
  if (!sha) throw notFound();
  const prefix = tarballPrefix(repository, sha);
  const headers = {
    "content-type": "application/x-gzip",
    "content-disposition": `attachment; filename=${prefix}.tar.gz`,
  };
  const cached = sim.tarballs.get(repository, sha);
  if (cached) {
    response.writeHead(200, { ...headers, "content-length": String(cached.bytes) });
    await pipeline(createReadStream(cached.path), response).catch(() => response.destroy());
    return "handled" as const;
  }
  const archive = archiveCommit({ gitDir: repository.gitDir, sha, prefix, gzipLevel: sim.tarballGzipLevel });
  response.writeHead(200, headers);
  try {
    await pipeline(archive.stream, response);
  } catch {
    // The client went away (or git failed): stop git instead of archiving for nobody.
    archive.stop();
    response.destroy();
  }
  return "handled" as const;
};
