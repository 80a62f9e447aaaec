/**
 * The scale benchmark: `npm run bench -- --requests N [--format parquet|jsonl] ...`.
 *
 * Generates the data set once (cached, not timed, in a child process so its memory never counts),
 * then in this one process: a bare scan of the feature stage's raw columns (the floor), a full
 * audit of the whole data set with per-stage wall times, report publishing, peak RSS, and the
 * Athena cost model. Prints one table, writes JSON to bench/out/ and appends a row to
 * bench/RESULTS.md. All row-level work happens in DuckDB; TypeScript only sees aggregates.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";
import { type AuditOutcome, runAudit } from "../lib/audit.ts";
import { type AuditConfig, loadConfig } from "../lib/config/config.ts";
import { DuckDbEngine } from "../lib/engine/duckdb/engine.ts";
import { requestFilesBetween } from "../lib/engine/duckdb/sources.ts";
import { type AuditWindow, partitionsWindow } from "../lib/engine/port.ts";
import { FsReportStore } from "../lib/store/fs.ts";
import { CODE_VERSION } from "../lib/version.ts";
import { type BenchCost, benchCost } from "./cost.ts";
import { type BenchFormat, DEFAULT_DAYS, DEFAULT_SEED, ensureDataset } from "./dataset.ts";
import { featureStageColumns, floorSql } from "./floor.ts";
import { profileFeatures } from "./profile.ts";
import {
  appendResults,
  type BenchResult,
  costReport,
  type Machine,
  profileTable,
  queryTable,
  seconds,
  timingTable,
} from "./report.ts";
import { RssSampler } from "./rss.ts";
import { TimedEngine } from "./timed-engine.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Options {
  requests: number;
  format: BenchFormat;
  days: number;
  seed: number;
  threads: number;
  memoryLimit: string;
  tempDir: string;
  cache: string;
  costOnly?: boolean;
  hours: number;
  lookback: number;
  projectDaily: number;
  note?: string;
  record: boolean;
  profileFeatures?: number | true;
}

function positiveInt(value: string): number {
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const s = statSync(join(dir, f));
    if (s.isFile()) n += s.size;
  }
  return n;
}

/** The whole data set: first partition's midnight to the midnight after the last partition. */
function wholeWindow(partitions: readonly string[]): AuditWindow {
  const first = partitions[0];
  const last = partitions[partitions.length - 1];
  if (!first || !last) throw new Error("the data set has no partitions");
  return partitionsWindow(first, last);
}

type Publish = (
  outcome: AuditOutcome,
  config: AuditConfig,
  ports: { store: unknown; notifier: unknown },
) => Promise<unknown>;

/**
 * The reporting step. When lib/report/publish.ts provides `publishAudit`, the full bundle is
 * rendered and published to a temporary filesystem store with an outbox notifier; otherwise the
 * findings document is serialised and written, as the CLI does. Module loading happens before the
 * clock starts.
 */
async function loadPublisher(
  workDir: string,
): Promise<{ how: string; run: (o: AuditOutcome, c: AuditConfig) => Promise<void> }> {
  const publishPath = join(ROOT, "lib", "report", "publish.ts");
  const notifierPath = join(ROOT, "lib", "notify", "outbox.ts");
  if (existsSync(publishPath) && existsSync(notifierPath)) {
    const publishModule = (await import(pathToFileURL(publishPath).href)) as { publishAudit?: Publish };
    const notifyModule = (await import(pathToFileURL(notifierPath).href)) as {
      OutboxNotifier?: new (dir: string) => unknown;
    };
    const publishAudit = publishModule.publishAudit;
    const Outbox = notifyModule.OutboxNotifier;
    if (typeof publishAudit === "function" && typeof Outbox === "function") {
      return {
        how: "publishAudit to a temp fs store",
        run: async (outcome, config) => {
          await publishAudit(outcome, config, {
            store: new FsReportStore(join(workDir, "store")),
            notifier: new Outbox(join(workDir, "outbox")),
          });
        },
      };
    }
  }
  return {
    how: "findings.json written",
    run: async (outcome) => {
      writeFileSync(join(workDir, "findings.json"), `${JSON.stringify(outcome.document, null, 2)}\n`);
    },
  };
}

function machine(duckdb: string): Machine {
  return {
    cores: cpus().length,
    totalMemoryBytes: totalmem(),
    node: process.version,
    duckdb,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
  };
}

async function main(options: Options): Promise<void> {
  const cacheRoot = resolve(ROOT, options.cache);
  const spec = { format: options.format, requests: options.requests, days: options.days, seed: options.seed };
  const dataset = await ensureDataset(cacheRoot, spec);
  log(
    dataset.generated
      ? `generated ${dataset.dir} in ${seconds(dataset.generateMs)} (not timed)`
      : `using cached ${relative(ROOT, dataset.dir)}`,
  );

  const stamp = new Date().toISOString();
  const workDir = join(cacheRoot, "work", `${process.pid}`);
  const tempDirectory = resolve(ROOT, options.tempDir);
  mkdirSync(workDir, { recursive: true });
  mkdirSync(tempDirectory, { recursive: true });
  const config = loadConfig();
  const publisher = await loadPublisher(workDir);

  const engine = await DuckDbEngine.open({
    logsDir: dataset.dir,
    threads: options.threads,
    memoryLimit: options.memoryLimit,
    tempDirectory,
    // The profile re-runs features.sql over the raw `requests` relation.
    keepRequests: options.profileFeatures !== undefined,
  });
  try {
    const duckdb = String((await engine.rows("SELECT version() AS v"))[0]?.v ?? "unknown");
    const window = wholeWindow(engine.sources.partitions);
    const dt = {
      start: window.start.toISOString().slice(0, 10),
      end: new Date(window.end.getTime() - 1).toISOString().slice(0, 10),
    };
    const rawFiles = requestFilesBetween(engine.sources, dt.start, dt.end);
    const costOptions = {
      rawFiles,
      workDir,
      end: window.end,
      hours: options.hours,
      lookbackDays: options.lookback,
      projectedRequestsPerDay: options.projectDaily,
      days: engine.sources.partitions.length,
    };

    if (options.costOnly) {
      log("feature stage (for the compact features the cost model prices; not timed)");
      await engine.prepare(window);
      const cost = await benchCost(engine, costOptions);
      process.stdout.write(`${costReport(cost)}\n`);
      writeJson(`${stamp.replace(/[:.]/g, "-")}-${options.format}-${options.requests}-cost.json`, {
        date: stamp,
        machine: machine(duckdb),
        options,
        cost,
      });
      return;
    }

    // The floor: warm-up once (page cache, footers), then timed.
    const floorColumns = featureStageColumns();
    const sql = floorSql(options.format, rawFiles, floorColumns);
    log(`floor: bare scan of ${floorColumns.length} raw columns (warm-up, then timed)`);
    await engine.rows(sql);
    let mark = performance.now();
    let cpuMark = cpuMs();
    const floorResult = (await engine.rows(sql))[0] ?? {};
    const floorMs = performance.now() - mark;
    const floorCpuMs = cpuMs() - cpuMark;

    if (options.profileFeatures !== undefined) {
      const repeats = options.profileFeatures === true ? 2 : options.profileFeatures;
      log(`feature-stage profile, best of ${repeats}`);
      await engine.prepare(window);
      const profile = await profileFeatures(engine, window, repeats, log);
      process.stdout.write(`\n${profileTable(profile, floorMs, floorCpuMs)}\n`);
      writeJson(`${stamp.replace(/[:.]/g, "-")}-${options.format}-${options.requests}-profile.json`, {
        date: stamp,
        machine: machine(duckdb),
        options,
        floor: { wallMs: floorMs, cpuMs: floorCpuMs },
        profile,
      });
      return;
    }

    // CPU time per stage (all DuckDB threads are in this process), read at the stage boundaries the
    // audit reports: less sensitive than wall time to other load on the machine.
    log("audit of the whole data set");
    const auditStart = performance.now();
    cpuMark = cpuMs();
    const cpuAt: Record<string, number> = {};
    // DuckDB's own memory by tag once the compact features exist (what the later stages hold).
    let memoryAfterFeatures: Record<string, number> = {};
    const timed = new TimedEngine(engine, async () => {
      const rows = await engine.rows(
        "SELECT tag, memory_usage_bytes + temporary_storage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes + temporary_storage_bytes > 0 ORDER BY bytes DESC",
      );
      memoryAfterFeatures = Object.fromEntries(rows.map((r) => [String(r.tag), Number(r.bytes)]));
    });
    const rss = new RssSampler("features");
    const outcome = await runAudit(
      timed,
      { window, schedule: "bench", config, codeVersion: CODE_VERSION },
      (stage) => {
        if (stage.startsWith("detector ") && cpuAt.features === undefined) {
          cpuAt.features = cpuMs();
          rss.enter("detectors");
        }
        if (stage.startsWith("scoring")) {
          cpuAt.detectors = cpuMs();
          rss.enter("scoring");
        }
        log(`  +${seconds(performance.now() - auditStart)} ${stage}`);
      },
    );
    rss.enter("reporting");
    mark = performance.now();
    await publisher.run(outcome, config);
    const publishMs = performance.now() - mark;
    const { rss: peakRssByStage, node: peakNodeHeapByStage } = rss.stop();
    const cpuEnd = cpuMs();
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    const cpuFeatures = (cpuAt.features ?? cpuAt.detectors ?? cpuEnd) - cpuMark;
    const cpuDetectors = (cpuAt.detectors ?? cpuEnd) - (cpuAt.features ?? cpuAt.detectors ?? cpuEnd);
    const cpu = {
      floorMs: floorCpuMs,
      featuresMs: cpuFeatures,
      detectorsMs: cpuDetectors,
      scoringMs: cpuEnd - (cpuAt.detectors ?? cpuEnd),
      totalMs: cpuEnd - cpuMark,
    };

    const { features, detectors, scoring } = outcome.timings;
    const scoringMs = scoring + publishMs;
    const totalMs = features + detectors + scoringMs;
    log("Athena cost model (not timed)");
    let cost: BenchCost | null = null;
    try {
      cost = await benchCost(engine, costOptions);
    } catch (error) {
      log(`cost model failed: ${(error as Error).message}`);
    }

    const result: BenchResult = {
      date: stamp,
      machine: machine(duckdb),
      options: {
        requests: options.requests,
        format: options.format,
        days: options.days,
        seed: options.seed,
        threads: options.threads,
        memoryLimit: options.memoryLimit,
        note: options.note ?? null,
        recorded: options.record,
      },
      dataset: {
        dir: relative(ROOT, dataset.dir),
        bytesOnDisk: dirBytes(join(dataset.dir, "requests")),
        requestsRead: outcome.document.data_quality.requests_read,
      },
      floor: { columns: floorColumns, result: floorResult },
      times: { floorMs, featuresMs: features, detectorsMs: detectors, scoringMs, totalMs },
      cpu,
      reporting: { how: publisher.how, ms: publishMs },
      ratios: {
        featureOverFloor: features / floorMs,
        detectorsOverFeature: detectors / features,
        totalOverFloor: totalMs / floorMs,
      },
      requestsPerSecond: options.requests / (totalMs / 1000),
      peakRssBytes,
      peakRssByStage,
      peakNodeHeapByStage,
      duckdbMemoryAfterFeatures: memoryAfterFeatures,
      detectors: outcome.document.detectors.filter((d) => d.status === "ran").length,
      findings: outcome.document.findings.length,
      queries: timed.timings,
      cost,
    };

    const m = result.machine;
    process.stdout.write(
      [
        "",
        `distill-audit bench: ${options.requests.toLocaleString("en-US")} ${options.format} requests over ${options.days} days, ` +
          `${m.cores} cores, ${options.threads} DuckDB threads, memory limit ${options.memoryLimit}, DuckDB ${duckdb}, Node ${m.node}`,
        timingTable(result),
        "",
        "slowest queries (run one at a time; cpu = all DuckDB threads):",
        queryTable(timed.timings),
        "",
        cost ? costReport(cost) : "(no cost model)",
        "",
      ].join("\n"),
    );
    const file = writeJson(
      `${stamp.replace(/[:.]/g, "-")}-${options.format}-${options.requests}.json`,
      result,
    );
    log(`details: ${relative(ROOT, file)}`);
    const growth = growthVersus(result, 1_000_000);
    if (growth) process.stdout.write(`${growth}\n`);
    if (options.record) {
      appendResults(join(ROOT, "bench", "RESULTS.md"), result);
      log("row appended to bench/RESULTS.md");
    }
  } finally {
    await engine.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Linear growth check: the latest earlier result for `base` requests (same format and threads) in
 * bench/out that was recorded in RESULTS.md (a --no-record run is an experiment, not a baseline),
 * against this one. 16M may cost at most 20x what 1M costs.
 */
function growthVersus(result: BenchResult, base: number): string | null {
  if (result.options.requests === base) return null;
  const dir = join(ROOT, "bench", "out");
  const suffix = `-${result.options.format}-${base}.json`;
  const candidates = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .sort()
        .reverse()
    : [];
  for (const name of candidates) {
    const earlier = JSON.parse(readFileSync(join(dir, name), "utf8")) as BenchResult;
    if (earlier.options.threads !== result.options.threads || !earlier.times) continue;
    if (earlier.options.recorded === false) continue;
    const scale = result.options.requests / base;
    const ratioWall = result.times.totalMs / earlier.times.totalMs;
    const ratioCpu = earlier.cpu ? result.cpu.totalMs / earlier.cpu.totalMs : Number.NaN;
    return (
      `growth vs ${base.toLocaleString("en-US")} requests (${name}): ${scale.toFixed(1)}x the requests took ` +
      `${ratioWall.toFixed(1)}x the wall time and ${ratioCpu.toFixed(1)}x the cpu time` +
      (result.options.requests === 16_000_000
        ? ` (target <= 20x: ${ratioWall <= 20 ? "met" : "MISSED"})`
        : "")
    );
  }
  return null;
}

function writeJson(name: string, value: unknown): string {
  const dir = join(ROOT, "bench", "out");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

const program = new Command("bench")
  .description(
    "generate (cached) and audit N requests; print stage times, floor ratios, peak RSS and Athena cost",
  )
  .requiredOption("--requests <n>", "number of requests", positiveInt)
  .addOption(
    new Option("--format <format>", "input format")
      .choices(["parquet", "jsonl", "jsonl.gz"])
      .default("parquet"),
  )
  .option("--days <d>", "days of traffic", positiveInt, DEFAULT_DAYS)
  .option("--seed <s>", "generator seed", positiveInt, DEFAULT_SEED)
  .option("--threads <n>", "DuckDB threads (default: all cores)", positiveInt, availableParallelism())
  .option("--memory-limit <size>", "DuckDB memory limit; beyond it DuckDB spills to --temp-dir", "4GB")
  .option("--temp-dir <dir>", "DuckDB spill directory", ".cache/bench/tmp")
  .option("--cache <dir>", "where generated data sets are kept", ".cache/bench")
  .option("--cost-only", "print only the Athena cost model (runs the feature stage untimed)")
  .option("--hours <h>", "hourly audit window in hours", positiveInt, 3)
  .option("--lookback <days>", "daily audit lookback in days (the previous day included)", positiveInt, 7)
  .option(
    "--project-daily <n>",
    "traffic for the projected cost lines, requests/day",
    positiveInt,
    100_000_000,
  )
  .option("--note <text>", "free text for the RESULTS.md row (e.g. machine load)")
  .option("--no-record", "do not append the row to bench/RESULTS.md")
  .option(
    "--profile-features [repeats]",
    "instead of the audit: time features.sql with one part removed at a time (best of repeats, default 2)",
    (v: string) => positiveInt(v),
  )
  .action(main);

await program.parseAsync(process.argv);
