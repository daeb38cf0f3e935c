import { readFileSync } from "node:fs";

/** The running release: package.json's version, reported by /healthz and the start-up line. */
export function readVersion(): string {
  // ../../package.json from both src/app (tsx) and dist/app (node)
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
