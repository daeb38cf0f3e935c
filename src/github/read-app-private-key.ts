import { readFile } from "node:fs/promises";
import type { Env } from "../config/env.js";
import { AppError } from "../errors.js";

/**
 * The GitHub App's private key: PRIVATE_KEY (a PEM; `\n` escapes, as .env files hold it, become line breaks) or the
 * file at PRIVATE_KEY_PATH. undefined when neither is set. The key itself never appears in an error.
 */
export async function readAppPrivateKey(
  env: Pick<Env, "PRIVATE_KEY" | "PRIVATE_KEY_PATH">,
): Promise<string | undefined> {
  if (env.PRIVATE_KEY) return env.PRIVATE_KEY.replace(/\\n/g, "\n");
  if (!env.PRIVATE_KEY_PATH) return undefined;
  try {
    return await readFile(env.PRIVATE_KEY_PATH, "utf8");
  } catch (error) {
    throw new AppError(
      "CONFIG_INVALID",
      `Cannot read PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): point it at the GitHub App's .pem file.`,
      { cause: error },
    );
  }
}
