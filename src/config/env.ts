import { z } from "zod";
import { AppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every environment variable the app reads, in one place (README lists the same ones). */
export const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  EMBEDDED_POSTGRES_DIR: z.string().default(".data/postgres"),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
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
