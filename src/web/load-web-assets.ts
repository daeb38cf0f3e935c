import { readdirSync, readFileSync } from "node:fs";
import { extname } from "node:path";

/** A static file of the page, read once at start-up. */
export type WebAsset = { body: Buffer; contentType: string };

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * The page's files (`src/web/assets`, copied to `dist/web/assets` by the build) by name. Only the types above are
 * served, so nothing else that lands in the folder is ever exposed.
 */
export function loadWebAssets(dir: URL = new URL("./assets/", import.meta.url)): Map<string, WebAsset> {
  const assets = new Map<string, WebAsset>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) assets.set(name, { body: readFileSync(new URL(name, dir)), contentType });
  }
  return assets;
}
