// Jest loads global setup outside its module system, so the TypeScript is loaded through tsx here.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup() {
  const { prepareTestPostgres, stopTestPostgres } = await tsImport(
    "./prepare-test-postgres.ts",
    import.meta.url,
  );
  globalThis.__stopTestPostgres = stopTestPostgres;
  await prepareTestPostgres();
}
