import { defineConfig } from "prisma/config";

// Prisma 7 reads the database URL from here. Only `prisma generate` runs in this project (migrations are applied by
// src/db/apply-migrations.ts), and generate never connects, so a placeholder is enough when DATABASE_URL is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/project_sync" },
});
