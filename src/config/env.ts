import { isIP } from "node:net";
import { z } from "zod";
import { AppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** One TRUST_PROXY entry: an address, a subnet (CIDR) or one of Express's names for a range of addresses. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: the reverse proxies whose X-Forwarded-For names the client, as a list of addresses, subnets or
 * `loopback` / `linklocal` / `uniquelocal`; unset or `false`: none (the socket's address is the client). `true` and hop
 * counts are refused: they would believe an X-Forwarded-For sent by anyone who reaches the server directly.
 */
const trustProxy = optionalString.pipe(
  z
    .string()
    .optional()
    .transform((value) =>
      value === undefined || value === "false" ? [] : value.split(",").map((entry) => entry.trim()),
    )
    .refine((entries) => entries.every(isProxyAddress), {
      message:
        "must list the proxies' addresses or subnets (e.g. loopback or 10.0.0.0/8, comma-separated), or be false; true and hop counts would trust any client",
    }),
);

/** Every environment variable the app reads, in one place (README lists the same ones). */
export const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  EMBEDDED_POSTGRES_DIR: z.string().default(".data/postgres"),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** reverse proxies whose X-Forwarded-For is believed for the client's address (default: none) */
  TRUST_PROXY: trustProxy,
  GITHUB_TOKEN: optionalString,
  APP_ID: optionalString,
  PRIVATE_KEY: optionalString,
  PRIVATE_KEY_PATH: optionalString,
  WEBHOOK_SECRET: optionalString,
  GHE_HOST: optionalString,
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
  MAX_FILE_SIZE_BYTES: positiveInt(1024 * 1024),
  /** where GitHub posts webhooks (Probot's default path) */
  WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
  /** a smee.io channel that relays webhooks to a local server (development) */
  WEBHOOK_PROXY_URL: optionalString.pipe(z.url().optional()),
  /** the app's public address: check runs link to `${PUBLIC_URL}/syncs/<id>` */
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** syncs one app process runs at once (the queue's workers); 0: web only (page, API, SSE, webhooks; no syncs) */
  SYNC_CONCURRENCY: z.coerce.number().int().min(0).default(2),
  /**
   * the REST API's bearer token (and the page's, which asks for it); unset: the API and page answer loopback only
   */
  API_TOKEN: optionalString.pipe(
    z.string().min(16, "must be at least 16 characters (e.g. openssl rand -hex 32)").optional(),
  ),
  /**
   * Sign in with GitHub: the GitHub App's client id and secret (its settings page; the manifest setup writes them),
   * with SESSION_SECRET and PUBLIC_URL. All four set: people sign in and see what GitHub lets them; none: API_TOKEN or
   * loopback only, as before. Some but not all is refused at start.
   */
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  /** signs session cookies and seals stored GitHub user tokens (e.g. openssl rand -hex 32) */
  SESSION_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (e.g. openssl rand -hex 32)").optional(),
  ),
  /** processed webhook deliveries are kept this long (a later redelivery is still known as a duplicate) */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().positive().default(7),
  /**
   * GitHub's secondary limits on content-creating requests (check runs, reactions), per installation across every
   * process: writes beyond them wait. 0 turns the budget off (e.g. a GitHub Enterprise Server without those limits).
   */
  GITHUB_WRITES_PER_MINUTE: z.coerce.number().int().min(0).default(70),
  GITHUB_WRITES_PER_HOUR: z.coerce.number().int().min(0).default(450),
  /**
   * outbound webhooks may go to loopback, private, link-local and other non-public addresses, and over plain http
   * (local development and tests only: otherwise a registered URL could reach the app's own network)
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
  NODE_ENV: z.string().default("development"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment once at start-up; an invalid value names its variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new AppError(
    "CONFIG_INVALID",
    `Invalid environment: ${formatZodIssues(parsed.error.issues)}. See .env.example.`,
  );
}
