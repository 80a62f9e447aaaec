import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * Lambda code and the CDK app must never depend on the local-only parts: the DuckDB engine (a
 * native module), the filesystem store and the traffic generator. Checked twice: every direct
 * import in functions/ and infra/, and everything reachable from the entry points.
 */
const FORBIDDEN =
  /(^|\/)(@duckdb\/|duckdb$)|lib\/engine\/duckdb(\/|$)|lib\/store\/fs(\.ts)?$|lib\/generate(\/|$)/;
const ENTRIES = ["functions/audit.ts", "functions/compact.ts", "infra/app.ts"];

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

function specifiers(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(
    /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g,
  )) {
    found.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return found;
}

describe("functions/ and infra/ stay clear of local-only code", () => {
  it("import nothing from lib/engine/duckdb, lib/store/fs, lib/generate or @duckdb directly", () => {
    // Prepare
    const files = [...sources("functions"), ...sources("infra")];

    // Act
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, "utf8"))
        .filter((s) => FORBIDDEN.test(s.replace(/\.ts$/, "")))
        .map((s) => `${file} imports ${s}`),
    );

    // Assess
    expect(files.length).toBeGreaterThan(10);
    expect(
      specifiers('import { x } from "../lib/engine/duckdb/engine.ts";').filter((s) =>
        FORBIDDEN.test(s.replace(/\.ts$/, "")),
      ),
    ).toHaveLength(1);
    expect(offending).toEqual([]);
  });

  it.each(ENTRIES)("%s reaches none of them through other modules either", async (entry) => {
    // Act
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: "node",
      format: "esm",
      packages: "external",
      metafile: true,
      logLevel: "silent",
    });

    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    const externals = Object.values(result.metafile.inputs).flatMap((i) =>
      i.imports.filter((imp) => imp.external).map((imp) => imp.path),
    );
    expect(inputs.filter((i) => FORBIDDEN.test(i.replace(/\.ts$/, "")))).toEqual([]);
    expect(externals.filter((e) => e.startsWith("@duckdb") || e === "duckdb")).toEqual([]);
  });
});
