import { spawn } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type BenchFormat = "parquet" | "jsonl" | "jsonl.gz";

export interface DatasetSpec {
  readonly format: BenchFormat;
  readonly requests: number;
  readonly days: number;
  readonly seed: number;
}

export const DEFAULT_DAYS = 7;
export const DEFAULT_SEED = 1;

/** `<format>-<N>`, suffixed with the days and seed only when they differ from the defaults. */
export function datasetName(spec: DatasetSpec): string {
  const days = spec.days === DEFAULT_DAYS ? "" : `-${spec.days}d`;
  const seed = spec.seed === DEFAULT_SEED ? "" : `-s${spec.seed}`;
  return `${spec.format}-${spec.requests}${days}${seed}`;
}

/** A cached data set is reused only when the generator finished it with the same options. */
function isComplete(dir: string, spec: DatasetSpec): boolean {
  const marker = join(dir, "generate.json");
  if (!existsSync(marker)) return false;
  try {
    const options = JSON.parse(readFileSync(marker, "utf8")).options;
    return (
      options.requests === spec.requests &&
      options.days === spec.days &&
      options.seed === spec.seed &&
      options.format === spec.format &&
      options.mix === "baseline"
    );
  } catch {
    return false;
  }
}

const GENERATE_SCRIPT = fileURLToPath(new URL("./generate.ts", import.meta.url));

/**
 * The data set under `<cacheRoot>/<name>`, generated first when missing (not timed). Generation runs
 * in a child process with progress on stderr, into a `.partial` folder renamed when complete, so an
 * interrupted run never leaves a data set that looks finished.
 */
export async function ensureDataset(
  cacheRoot: string,
  spec: DatasetSpec,
): Promise<{ dir: string; generated: boolean; generateMs: number }> {
  const dir = join(cacheRoot, datasetName(spec));
  if (isComplete(dir, spec)) return { dir, generated: false, generateMs: 0 };
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        GENERATE_SCRIPT,
        partial,
        String(spec.requests),
        String(spec.days),
        String(spec.seed),
        spec.format,
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`data generation failed (${signal ?? `exit ${code}`})`)),
    );
  });
  renameSync(partial, dir);
  return { dir, generated: true, generateMs: performance.now() - started };
}
