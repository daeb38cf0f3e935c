import { AppError } from "../errors.js";

/** The one message for "no way to call GitHub": it names every variable that would fix it. */
export function missingCredentialsError(): AppError {
  return new AppError(
    "MISSING_CREDENTIALS",
    "No GitHub credentials: set GITHUB_TOKEN to a token that can read the repository, or APP_ID and PRIVATE_KEY " +
      "(or PRIVATE_KEY_PATH) of the GitHub App.",
  );
}
