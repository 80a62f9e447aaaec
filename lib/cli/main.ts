import { existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type AuditOutcome, runAudit } from "../audit.ts";
import { ConfigError, loadConfig } from "../config/config.ts";
import { DuckDbEngine } from "../engine/duckdb/engine.ts";
import { InputError } from "../engine/duckdb/sources.ts";
import { type AuditWindow, isWholeHour, partitionsWindow } from "../engine/port.ts";
import {
  DEFAULT_DEV_SET,
  type EvaluatedRun,
  evaluateExternal,
  evaluateLogs,
  evaluateSuite,
  gatedFailures,
} from "../eval/run.ts";
import { evaluationTables, gateLabel, suiteSummaryTable } from "../eval/table.ts";
import { generateTraffic, TRAFFIC_MIXES, type TrafficMix } from "../generate/index.ts";
import { OutboxNotifier } from "../notify/outbox.ts";
import { publishAudit } from "../report/publish.ts";
import { terminalSafe, truncate } from "../report/safe.ts";
import { FsReportStore, HOST_TAG, processAlive } from "../store/fs.ts";
import { RunLockBusyError } from "../store/run-lock.ts";
import { CODE_VERSION } from "../version.ts";
import { progressBar } from "./progress.ts";
import { printSummary } from "./summary.ts";

/**
 * Exit codes: 0 the command completed (whatever the audit found); 1 unexpected failure; 2 usage;
 * 3 unreadable input or configuration; 4 an evaluation missed its targets.
 */
/** The checkout's root (lib/cli/../..): where the dev set's default path is resolved from. */
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const EXIT = { ok: 0, failure: 1, usage: 2, input: 3, targetsMissed: 4 } as const;

/** A bad command line found after commander parsed it (an empty window): exit code 2. */
export class UsageError extends Error {}

/** DuckDB needs this much to hold the JSON Lines reader's buffers and the feature stage. */
export const MIN_MEMORY_LIMIT_BYTES = 256e6;

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** `--memory-limit`: a size with a unit (DuckDB's units: MB is 10^6 bytes, MiB 2^20), in bytes. */
export function memorySize(value: string): string {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? ""];
  if (!match || unit === undefined) {
    throw new InvalidArgumentError("expected a size with a unit, e.g. 2GB, 512MB or 1GiB");
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (!(bytes >= MIN_MEMORY_LIMIT_BYTES)) {
    throw new InvalidArgumentError(
      "at least 256MB is needed (the feature stage's read buffers and working memory)",
    );
  }
  // Bytes, so DuckDB reads exactly the size given whatever spelling of the unit was used.
  return `${bytes}B`;
}

/** Schedule names become part of the run id, and so of file and object names: plain words only. */
export function scheduleName(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new InvalidArgumentError("expected 1 to 64 letters, digits, '_' or '-'");
  }
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function wholeHourInstant(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      "expected an ISO 8601 date or time, e.g. 2026-02-23 or 2026-02-23T06:00:00Z",
    );
  }
  if (!isWholeHour(date)) {
    throw new InvalidArgumentError(`expected a whole UTC hour, e.g. ${hourOf(date)}`);
  }
  return date;
}

function hourOf(date: Date): string {
  return `${date.toISOString().slice(0, 13)}:00:00Z`;
}

/** The audit window: --from/--to when given, else the whole data set (first to last partition day). */
export function resolveWindow(partitions: readonly string[], from?: Date, to?: Date): AuditWindow {
  const first = partitions[0];
  const last = partitions[partitions.length - 1];
  const whole = first && last ? partitionsWindow(first, last) : undefined;
  const start = from ?? whole?.start;
  const end = to ?? whole?.end;
  if (!start || !end) throw new InputError("no partitions to audit; pass --from and --to");
  if (end <= start) {
    const bounds = `${to ? "--to" : "the end of the data"} (${end.toISOString()}) must be after ${from ? "--from" : "the start of the data"} (${start.toISOString()})`;
    throw new UsageError(`${end < start ? "inverted" : "empty"} window: ${bounds}`);
  }
  return { start, end };
}

interface AuditOptions {
  logs: string;
  from?: Date;
  to?: Date;
  out: string;
  config?: string;
  quarantine?: string;
  /** Where alert digests go as .eml files (default: <out>/outbox). */
  outbox?: string;
  schedule: string;
  threads?: number;
  memoryLimit?: string;
}

async function audit(options: AuditOptions): Promise<AuditOutcome> {
  // A window the options alone make empty is refused before any file is read.
  if (options.from && options.to) resolveWindow([], options.from, options.to);
  const config = loadConfig(options.config);
  const featureDays = progressBar("feature stage, days built");
  const engine = await DuckDbEngine.open({
    logsDir: resolve(options.logs),
    threads: options.threads,
    memoryLimit: options.memoryLimit,
    onFeatureDays: (built, days) => {
      featureDays.update(built, days);
      if (built === days) featureDays.stop();
    },
  });
  try {
    const window = resolveWindow(engine.sources.partitions, options.from, options.to);
    const outcome = await runAudit(
      engine,
      { window, schedule: options.schedule, config, codeVersion: CODE_VERSION },
      (stage) => process.stderr.write(`… ${stage}\n`),
    );
    // The report bundle, history and alert markers live under --out, as they would in the bucket.
    const store = new FsReportStore(resolve(options.out));
    const notifier = new OutboxNotifier(resolve(options.outbox ?? join(options.out, "outbox")));
    const published = await publishAudit(outcome, config, {
      store,
      notifier,
      // A run killed on this machine frees its run lock at once: the rerun need not wait it out.
      lock: {
        host: HOST_TAG,
        ownerAlive: (owner) => (owner.host === HOST_TAG ? processAlive(owner.pid) : undefined),
      },
    });
    if (options.quarantine) {
      mkdirSync(resolve(options.quarantine), { recursive: true });
      const path = join(resolve(options.quarantine), `rejected-${outcome.document.run.run_id}.jsonl`);
      const count = await engine.quarantine(path);
      process.stderr.write(`quarantine: ${count} rejected records written to ${path}\n`);
    }
    printSummary(outcome.document, store.locate(published.reportPrefix));
    process.stdout.write(
      `bundle: ${published.written} files written, ${published.unchanged} unchanged\n` +
        (published.digests.length === 0
          ? "alert: nothing new or escalated\n"
          : published.digests
              .map(
                (digest, i) =>
                  `alert: ${digest.subject}\n  ${notifier.files[notifier.files.length - published.digests.length + i] ?? notifier.dir}\n`,
              )
              .join("")),
    );
    process.stdout.write(`report: ${store.locate(`${published.reportPrefix}/report.html`)}\n`);
    return outcome;
  } finally {
    await engine.close();
  }
}

async function generate(options: {
  out: string;
  requests: number;
  days: number;
  seed: number;
  format: "jsonl" | "jsonl.gz" | "parquet";
  mix: TrafficMix;
}): Promise<void> {
  const bar = progressBar("generating requests");
  const summary = await generateTraffic({
    outDir: resolve(options.out),
    requests: options.requests,
    days: options.days,
    seed: options.seed,
    format: options.format,
    mix: options.mix,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.stop();
  process.stdout.write(
    `generated ${summary.requests} requests from ${summary.accounts} accounts over ${summary.days.length} days into ${resolve(options.out)}\n` +
      `ground truth: ${summary.labelsPath}\n`,
  );
}

export function buildProgram(): Command {
  const program = new Command("distill-audit")
    .description("Find distillation campaigns in LLM API request logs.")
    .version(CODE_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("generate")
    .description("write realistic synthetic traffic with labelled campaigns (ground truth in labels.jsonl)")
    .requiredOption("--out <dir>", "output log root")
    .option("--requests <n>", "number of requests", positiveInt, 200_000)
    .option("--days <d>", "number of UTC days", positiveInt, 7)
    .option("--seed <s>", "random seed (same seed, same bytes)", positiveInt, 1)
    .addOption(
      new Option("--format <format>", "file format")
        .choices(["jsonl", "jsonl.gz", "parquet"])
        .default("jsonl"),
    )
    .addOption(new Option("--mix <mix>", "traffic mix").choices([...TRAFFIC_MIXES]).default("baseline"))
    .action(generate);

  program
    .command("audit")
    .description("audit request logs on the local engine and write the findings")
    .requiredOption("--logs <dir>", "log root holding requests/dt=YYYY-MM-DD/ (and optional accounts/)")
    .option(
      "--from <iso>",
      "window start, a whole UTC hour, inclusive (default: first day of data)",
      wholeHourInstant,
    )
    .option(
      "--to <iso>",
      "window end, a whole UTC hour, exclusive (default: end of the last day of data)",
      wholeHourInstant,
    )
    .option("--out <dir>", "output directory", "./audit-out")
    .option("--config <file>", "configuration file (JSON)")
    .option("--quarantine <dir>", "write every rejected record there with its reason")
    .option("--outbox <dir>", "write alert digests there as .eml files (default: <out>/outbox)")
    .option(
      "--schedule <name>",
      "schedule name, part of the run id ([A-Za-z0-9_-], at most 64)",
      scheduleName,
      "adhoc",
    )
    .option("--threads <n>", "DuckDB threads (default: all cores)", positiveInt)
    .option(
      "--memory-limit <size>",
      "DuckDB memory limit, at least 256MB, e.g. 4GB (spills to disk beyond it)",
      memorySize,
    )
    .action(async (options: AuditOptions) => {
      await audit(options);
    });

  program
    .command("demo")
    .description("generate sample traffic (once) and audit it: what `npm start` runs")
    .option("--data <dir>", "where the sample traffic lives", "./sample-data")
    .option("--out <dir>", "output directory", "./audit-out")
    .option("--requests <n>", "sample size when generating", positiveInt, 300_000)
    .action(async (options: { data: string; out: string; requests: number }) => {
      if (!existsSync(join(options.data, "requests"))) {
        await generate({
          out: options.data,
          requests: options.requests,
          days: 7,
          seed: 7,
          format: "parquet",
          mix: "baseline",
        });
      } else {
        process.stderr.write(`using existing sample traffic in ${resolve(options.data)}\n`);
      }
      await audit({ logs: options.data, out: options.out, schedule: "demo" });
    });

  program
    .command("eval")
    .description("audit labelled traffic and print precision, recall and false positives per archetype")
    .requiredOption("--logs <dir>", "log root")
    .option("--labels <file>", "ground truth (default: <logs>/labels.jsonl)")
    .option("--config <file>", "configuration file (JSON)")
    .action(async (options: { logs: string; labels?: string; config?: string }) => {
      const labels = options.labels ?? join(options.logs, "labels.jsonl");
      if (!existsSync(labels))
        throw new InputError(`labels file ${labels} does not exist; pass --labels FILE`);
      const run = await evaluateLogs(resolve(options.logs), labels, loadConfig(options.config));
      process.stdout.write(`${evaluationTables(run.evaluation)}\n${reportMisses(run.misses)}\n`);
    });

  program
    .command("eval-suite")
    .description(
      "generate traffic for several seeds and mixes and evaluate each, then the shared dev set: what `npm run eval` runs",
    )
    .option("--seeds <list>", "comma-separated seeds", "11,23,37")
    .option("--mixes <list>", "comma-separated traffic mixes", TRAFFIC_MIXES.join(","))
    .option("--requests <n>", "requests per data set", positiveInt, 300_000)
    .option("--days <d>", "days per data set", positiveInt, 7)
    .option("--cache <dir>", "where generated data sets are kept", "./.cache/eval")
    .option("--config <file>", "configuration file (JSON)")
    .option(
      "--dev-set <dir>",
      `labelled data set written outside the project, measured, not gated (default: ${DEFAULT_DEV_SET} from the repository root)`,
    )
    .option("--no-dev-set", "skip the dev set")
    .action(
      async (options: {
        seeds: string;
        mixes: string;
        requests: number;
        days: number;
        cache: string;
        config?: string;
        devSet?: string | boolean;
      }) => {
        const config = loadConfig(options.config);
        const print = (run: EvaluatedRun) =>
          process.stdout.write(
            `## ${run.name} (audit ${(run.auditMs / 1000).toFixed(1)} s, ${gateLabel(run.gated)})\n\n${evaluationTables(run.evaluation)}\n${reportMisses(run.misses, run.gated)}\n\n`,
          );
        const runs = await evaluateSuite({
          seeds: options.seeds.split(",").map((s) => positiveInt(s.trim())),
          mixes: options.mixes.split(",").map((m) => trafficMix(m.trim())),
          requests: options.requests,
          days: options.days,
          cacheDir: resolve(options.cache),
          config,
          onRun: print,
        });
        if (options.devSet !== false) {
          const dir =
            typeof options.devSet === "string"
              ? resolve(options.devSet)
              : resolve(REPO_ROOT, DEFAULT_DEV_SET);
          const dev = await evaluateExternal(dir, config, `dev set ${basename(dir)}`);
          if (dev === null) {
            process.stdout.write(
              `note: no labelled data set at ${dir} (requests/ and labels.jsonl): dev set skipped\n\n`,
            );
          } else {
            print(dev);
            runs.push(dev);
          }
        }
        const gated = runs.filter((r) => r.gated);
        const failed = gatedFailures(runs);
        process.stdout.write(`## summary\n\n${suiteSummaryTable(runs)}\n\n`);
        process.stdout.write(
          `${gated.length - failed.length}/${gated.length} gated data sets meet the targets; ${runs.length - gated.length} measured, not gated\n`,
        );
        if (failed.length > 0)
          throw new TargetsMissed(`${failed.length} gated data set(s) miss the evaluation targets`);
      },
    );

  return program;
}

/** The evaluation ran but the detectors missed a target: exit code 4. */
class TargetsMissed extends Error {}

function trafficMix(value: string): TrafficMix {
  const mix = TRAFFIC_MIXES.find((m) => m === value);
  if (mix === undefined) throw new InvalidArgumentError(`unknown traffic mix "${value}"`);
  return mix;
}

function reportMisses(misses: readonly string[], gated = true): string {
  const how = gated ? "" : " (measured, not gated)";
  return misses.length === 0
    ? `targets: met${how}`
    : `targets missed${how}:\n${misses.map((m) => `  - ${m}`).join("\n")}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof TargetsMissed) {
      process.stderr.write(`distill-audit: ${errorMessage(error)}\n`);
      return EXIT.targetsMissed;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`distill-audit: ${errorMessage(error)}\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError || error instanceof ConfigError) {
      process.stderr.write(`distill-audit: ${errorMessage(error)}\n`);
      return EXIT.input;
    }
    if (error instanceof RunLockBusyError) {
      process.stderr.write(`distill-audit: ${errorMessage(error)}; try again once it has finished\n`);
      return EXIT.failure;
    }
    process.stderr.write(`distill-audit: unexpected error: ${errorReport(error)}\n`);
    return EXIT.failure;
  }
}

/** Longest line quoted: errors of the engine and parsers quote input (prompt text, whole lines). */
export const MESSAGE_LINE_MAX = 200;
const MESSAGE_LINES_MAX = 12;

/**
 * An error's message as printed: without escape sequences or control characters, each line cut
 * short and at most a dozen lines, so no input it quotes can drive the terminal or flood it.
 * (Config errors list one problem a line, so lines are kept.)
 */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split(/\r\n|\r|\n/)
    .map((line) => truncate(terminalSafe(line).trimEnd(), MESSAGE_LINE_MAX));
  const kept = lines.slice(0, MESSAGE_LINES_MAX);
  if (lines.length > kept.length) kept.push(`… (${lines.length - kept.length} more lines)`);
  return kept.join("\n");
}

/** An unexpected error for a bug report: its name, the bounded message and its stack frames only. */
export function errorReport(error: unknown): string {
  const name = error instanceof Error ? error.name : "Error";
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  // The stack starts with the message, and a quoted input line may look like a frame: skip it.
  const message = error instanceof Error ? error.message : "";
  const at = message === "" ? -1 : stack.indexOf(message);
  const frames = (at === -1 ? stack : stack.slice(at + message.length))
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    .map((line) => truncate(terminalSafe(line), MESSAGE_LINE_MAX));
  const hint = /out of memory/i.test(errorMessage(error))
    ? "\n(DuckDB ran out of memory: raise --memory-limit, or lower --threads)"
    : "";
  return [`${name}: ${errorMessage(error)}${hint}`, ...frames].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv);
}
