import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Runtime } from "aws-cdk-lib/aws-lambda";
import { type BundlingOptions, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";

/**
 * How the Lambda functions are built: local esbuild (no Docker), ESM, the AWS SDK left to the
 * runtime, and the Trino SQL files copied beside the bundle (the catalogue reads them at run
 * time from DISTILL_AUDIT_SQL_DIR). The bundle test builds with these exact options.
 */

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
export const ESBUILD_TARGET = "node24";
/** The nodejs24.x runtime ships AWS SDK v3; bundling our own copy would only add cold-start time. */
export const EXTERNAL_MODULES = ["@aws-sdk/*"];
/** Some dependencies are CommonJS and call require(); an ESM bundle needs one provided. */
export const ESM_BANNER =
  "import { createRequire as __distillCreateRequire } from 'node:module'; const require = __distillCreateRequire(import.meta.url);";
/** Folder inside the bundle holding the SQL files, and where Lambda mounts it. */
export const BUNDLED_SQL_DIR = "sql";
export const LAMBDA_SQL_DIR = `/var/task/${BUNDLED_SQL_DIR}`;
/** The audit configuration travels in the bundle, so a deployment pins code and thresholds together. */
export const BUNDLED_AUDIT_CONFIG = "audit-config.json";
export const LAMBDA_AUDIT_CONFIG = `/var/task/${BUNDLED_AUDIT_CONFIG}`;

/** Every Trino query: lib/sql/*.sql (not lib/sql/local, which is DuckDB-only) and lib/detectors/<id>/*.sql. */
export function sqlSources(root: string = REPO_ROOT): string[] {
  const sqlDir = join(root, "lib", "sql");
  const detectorsDir = join(root, "lib", "detectors");
  const sqlIn = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".sql"))
      .map((e) => join(dir, e.name))
      .sort();
  const detectorFiles = existsSync(detectorsDir)
    ? readdirSync(detectorsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => sqlIn(join(detectorsDir, d.name)))
    : [];
  const files = [...sqlIn(sqlDir), ...detectorFiles];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(basename(file)))
      throw new Error(`two SQL files are named ${basename(file)}; the bundle flattens them`);
    seen.add(basename(file));
  }
  return files;
}

function shellQuote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/** The shell commands that complete a bundle in `outputDir`: SQL files and the audit configuration. */
export function afterBundlingCommands(outputDir: string, auditConfigPath: string | null): string[] {
  const sqlDir = `${outputDir}/${BUNDLED_SQL_DIR}`;
  const config = `${outputDir}/${BUNDLED_AUDIT_CONFIG}`;
  return [
    `mkdir -p ${shellQuote(sqlDir)}`,
    `cp ${sqlSources().map(shellQuote).join(" ")} ${shellQuote(sqlDir)}/`,
    auditConfigPath
      ? `cp ${shellQuote(auditConfigPath)} ${shellQuote(config)}`
      : `printf '{}' > ${shellQuote(config)}`,
  ];
}

/**
 * The same build as an esbuild API call (what CDK runs through the esbuild CLI), for the bundle
 * test's metafile: the list of every module that went into the bundle.
 */
export function esbuildBuildOptions(entry: string, outfile: string) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node" as const,
    format: "esm" as const,
    target: ESBUILD_TARGET,
    mainFields: ["module", "main"],
    banner: { js: ESM_BANNER },
    external: EXTERNAL_MODULES,
    minify: true,
    sourcemap: true,
    metafile: true,
  };
}

export function bundlingOptions(auditConfigPath: string | null): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: ESBUILD_TARGET,
    mainFields: ["module", "main"],
    banner: ESM_BANNER,
    externalModules: EXTERNAL_MODULES,
    minify: true,
    sourceMap: true,
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) =>
        afterBundlingCommands(outputDir, auditConfigPath),
    },
  };
}
