import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/application.ts";
import {
  BUNDLED_AUDIT_CONFIG,
  BUNDLED_SQL_DIR,
  esbuildBuildOptions,
  REPO_ROOT,
  sqlSources,
} from "../../infra/bundling.ts";
import { parseSqlFile, sqlCatalog } from "../../lib/sql/catalog.ts";

/**
 * Really bundles both functions the way `cdk synth` does (local esbuild, command hooks), then
 * inspects what would be uploaded to Lambda.
 */
const FORBIDDEN_INPUT = /(^|\/)(@duckdb|duckdb)\/|lib\/engine\/duckdb\/|lib\/store\/fs\.ts|lib\/generate\//;
const HANDLERS = ["functions/audit.ts", "functions/compact.ts"];
const run = promisify(execFile);

// Inside node_modules so the bundles resolve the AWS SDK (left external) like the Lambda runtime does.
const cacheDir = join(REPO_ROOT, "node_modules", ".cache");
let outdir = "";
let assets: string[] = [];

beforeAll(() => {
  mkdirSync(cacheDir, { recursive: true });
  outdir = mkdtempSync(join(cacheDir, "distill-bundle-test-"));
  const { app } = buildApp({ outdir, builtinCloudFormationValidation: false });
  app.synth();
  assets = readdirSync(outdir)
    .filter((d) => d.startsWith("asset.") && existsSync(join(outdir, d, "index.mjs")))
    .map((d) => join(outdir, d));
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe("Lambda bundles built by CDK", () => {
  it("holds one ESM handler per function, with the SQL files and the audit configuration", () => {
    // Assess
    expect(assets).toHaveLength(2);
    const expectedSql = sqlSources()
      .map((f) => f.split("/").pop())
      .sort();
    expect(expectedSql).toContain("features.sql");
    expect(expectedSql).toContain("volume.sql");
    for (const asset of assets) {
      expect(readdirSync(join(asset, BUNDLED_SQL_DIR)).sort()).toEqual(expectedSql);
      expect(JSON.parse(readFileSync(join(asset, BUNDLED_AUDIT_CONFIG), "utf8"))).toEqual(
        JSON.parse(readFileSync("infra/audit.example.json", "utf8")),
      );
    }
  });

  it("copies a complete catalogue: every query, none from lib/sql/local", () => {
    // Act
    const asset = assets[0] as string;
    const bundled = readdirSync(join(asset, BUNDLED_SQL_DIR)).map((file) =>
      parseSqlFile(file, readFileSync(join(asset, BUNDLED_SQL_DIR, file), "utf8")),
    );

    // Assess
    expect(bundled.map((q) => q.name).sort()).toEqual([...sqlCatalog().keys()].sort());
    for (const local of readdirSync("lib/sql/local")) {
      expect(existsSync(join(asset, BUNDLED_SQL_DIR, local))).toBe(false);
    }
  });

  it("ships no DuckDB: no native modules and no import of it", () => {
    for (const asset of assets) {
      const files = readdirSync(asset, { recursive: true }) as string[];
      expect(files.filter((f) => f.endsWith(".node"))).toEqual([]);
      const code = readFileSync(join(asset, "index.mjs"), "utf8");
      expect(code).not.toMatch(/(?:from|import|require)\s*\(?\s*["'](?:@duckdb\/|duckdb)/);
      expect(code).not.toContain("DuckDBInstance");
    }
  });

  it("loads in a fresh Node process and rejects an invalid event before touching AWS", async () => {
    // Prepare
    const audit = assets.find((a) =>
      readFileSync(join(a, "index.mjs"), "utf8").includes("RESULTS_BUCKET"),
    ) as string;
    const script = `
      const m = await import(${JSON.stringify(join(audit, "index.mjs"))});
      const context = { functionName: "audit", awsRequestId: "r-1", invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:audit", memoryLimitInMB: "1024", getRemainingTimeInMillis: () => 900000 };
      try { await m.handler({ from: "yesterday" }, context); console.log("UNEXPECTED SUCCESS"); }
      catch (e) { console.log("REJECTED " + e.name + ": " + e.message); }`;

    // Act
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "eu-west-1",
        ATHENA_WORKGROUP: "wg",
        GLUE_DATABASE: "db",
        FEATURES_BUCKET: "features-bucket",
        FEATURES_PREFIX: "features/",
        LOG_BUCKET: "log-bucket",
        LOG_PREFIX: "",
        RESULTS_BUCKET: "results-bucket",
        ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts",
        DISTILL_AUDIT_SQL_DIR: join(audit, BUNDLED_SQL_DIR),
        DISTILL_AUDIT_CONFIG_FILE: join(audit, BUNDLED_AUDIT_CONFIG),
      },
    });

    // Assess
    expect(stdout).toContain("REJECTED InvalidEventError: invalid event");
  });
});

describe("bundle inputs (esbuild metafile, same options as CDK)", () => {
  it.each(HANDLERS)("%s pulls in no DuckDB engine, filesystem store or generator", async (entry) => {
    // Act
    const result = await build({
      ...esbuildBuildOptions(join(REPO_ROOT, entry), join(outdir, "metafile-check", "index.mjs")),
      write: false,
    });

    // Assess
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(
      inputs.some(
        (i) => i.includes("lib/engine/athena/engine.ts") || i.includes("lib/engine/athena/features.ts"),
      ),
    ).toBe(true);
    expect(inputs.filter((i) => FORBIDDEN_INPUT.test(i))).toEqual([]);
  });
});
