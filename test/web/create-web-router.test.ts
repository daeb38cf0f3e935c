import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { createWebRouter } from "../../src/web/create-web-router.js";

function pageApp() {
  return express().use(createWebRouter({ apiBase: "/api/v1" }));
}

describe("createWebRouter", () => {
  it("serves one HTML shell for / and /syncs/:syncId, with no inline script or style and a strict CSP", async () => {
    const home = await request(pageApp()).get("/");
    const sync = await request(pageApp()).get("/syncs/0b6a3f6e-2f8e-4f55-9d7a-6f1b1bb4a9b1");

    expect(home.status).toBe(200);
    expect(home.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(sync.text).toBe(home.text);
    expect(home.headers["content-security-policy"]).toMatch(/^default-src 'self'/);
    expect(home.headers["x-content-type-options"]).toBe("nosniff");
    expect(home.text).toContain('<meta name="project-sync-api" content="/api/v1">');
    expect(home.text).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(home.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(home.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it("serves the same shell for a sync's changes, a compare of two syncs, a file's page and a search", async () => {
    const home = await request(pageApp()).get("/");
    const id = "0b6a3f6e-2f8e-4f55-9d7a-6f1b1bb4a9b1";

    const pages = await Promise.all(
      [
        `/syncs/${id}/changes`,
        `/syncs/${id}/compare/${id}`,
        "/repos/octo/big/file?path=a.txt&asOf=x",
        "/repos/octo/big/search?q=%3Cimg%3E&regex=true",
        "/settings/tokens",
      ].map((path) => request(pageApp()).get(path)),
    );

    expect(pages.map((page) => [page.status, page.text === home.text])).toEqual([
      [200, true],
      [200, true],
      [200, true],
      [200, true],
      [200, true],
    ]);
  });

  it("escapes the API base it writes into the page", async () => {
    const app = express().use(createWebRouter({ apiBase: '/x"><script>alert(1)</script>' }));

    const response = await request(app).get("/");

    expect(response.text).toContain('content="/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(response.text).not.toContain("<script>alert(1)");
  });

  it("serves the page's script, styles and icon with their content types, and revalidates them", async () => {
    const script = await request(pageApp()).get("/assets/app.js");
    const styles = await request(pageApp()).get("/assets/app.css");
    const icon = await request(pageApp()).get("/assets/favicon.svg");
    const again = await request(pageApp())
      .get("/assets/app.js")
      .set("If-None-Match", script.headers.etag ?? "");

    expect([script.status, styles.status, icon.status]).toEqual([200, 200, 200]);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(styles.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(icon.headers["content-type"]).toBe("image/svg+xml");
    expect(script.headers["cache-control"]).toBe("no-cache");
    expect(script.text).toContain("renderHome");
    expect(again.status).toBe(304);
  });

  it("serves every module the script imports, and nothing else from its folder", async () => {
    const script = await request(pageApp()).get("/assets/app.js");
    const imported = new Set<string>();
    const pending = [...script.text.matchAll(/from "\.\/([a-z-]+\.js)"/g)].map((match) => match[1] as string);
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (imported.has(name)) continue;
      imported.add(name);
      const module = await request(pageApp()).get(`/assets/${name}`);
      expect(module.status).toBe(200);
      for (const match of module.text.matchAll(/from "\.\/([a-z-]+\.js)"/g)) pending.push(match[1] as string);
    }
    const missing = await request(pageApp()).get("/assets/nope.js");
    const outside = await request(pageApp()).get("/assets/..%2Fcreate-web-router.ts");

    expect(imported.size).toBeGreaterThan(5);
    expect(missing.status).toBe(404);
    expect(outside.status).toBe(404);
  });

  it("leaves other paths to the next handler", async () => {
    const app = pageApp().use((_req, res) => {
      res.status(418).send("next");
    });

    const response = await request(app).get("/syncs/1/extra");

    expect(response.status).toBe(418);
  });
});
