import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { AMPLIFICATION_DEFINITION, type AuditCost } from "../lib/cost/index.ts";
import { FEATURE_STORE_ORDER } from "../lib/engine/port.ts";
import type { BenchCost } from "./cost.ts";
import type { QueryTiming } from "./timed-engine.ts";

export interface Machine {
  readonly cores: number;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly duckdb: string;
  readonly platform: string;
  readonly cpu: string;
}

export interface StageTimes {
  readonly floorMs: number;
  readonly featuresMs: number;
  readonly detectorsMs: number;
  /** Scoring, evidence and report rendering/publishing. */
  readonly scoringMs: number;
  readonly totalMs: number;
}

export interface BenchResult {
  readonly date: string;
  readonly machine: Machine;
  readonly options: {
    readonly requests: number;
    readonly format: string;
    readonly days: number;
    readonly seed: number;
    readonly threads: number;
    readonly memoryLimit: string;
    readonly note: string | null;
    /** False for a --no-record run; absent in results written before the flag was kept. */
    readonly recorded?: boolean;
  };
  readonly dataset: { readonly dir: string; readonly bytesOnDisk: number; readonly requestsRead: number };
  readonly floor: { readonly columns: readonly string[]; readonly result: Record<string, unknown> };
  readonly times: StageTimes;
  /** Process CPU time per stage (every DuckDB thread included): robust to other load. */
  readonly cpu: StageTimes;
  readonly reporting: { readonly how: string; readonly ms: number };
  readonly ratios: {
    readonly featureOverFloor: number;
    readonly detectorsOverFeature: number;
    readonly totalOverFloor: number;
  };
  readonly requestsPerSecond: number;
  readonly peakRssBytes: number;
  /** Peak RSS sampled during each audit stage (features, detectors, scoring, reporting). */
  readonly peakRssByStage: Readonly<Record<string, number>>;
  /** Peak of Node's heap (V8 plus external buffers) per stage; absent in results from before it. */
  readonly peakNodeHeapByStage?: Readonly<Record<string, number>>;
  /** DuckDB memory (in memory + spilled) by tag right after the feature stage. */
  readonly duckdbMemoryAfterFeatures: Readonly<Record<string, number>>;
  readonly detectors: number;
  readonly findings: number;
  readonly queries: readonly QueryTiming[];
  readonly cost: BenchCost | null;
}

export const TARGETS = { featureOverFloor: 8, detectorsOverFeature: 0.5, dailyAmplification: 1.5 } as const;

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function bytes(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)} TB`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function usd(n: number): string {
  return n >= 1 ? `$${n.toFixed(2)}` : n >= 0.01 ? `$${n.toFixed(4)}` : `$${n.toPrecision(3)}`;
}

function ratio(n: number): string {
  return `${n.toFixed(2)}x`;
}

function pad(cells: readonly string[], widths: readonly number[], right: readonly boolean[]): string {
  return cells
    .map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
    .join("  ")
    .trimEnd();
}

/** A plain-text table: first row is the header; `right` marks right-aligned columns. */
export function textTable(rows: readonly (readonly string[])[], right: readonly boolean[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const [header, ...body] = rows;
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [pad(header ?? [], widths, right), rule, ...body.map((r) => pad(r, widths, right))].join("\n");
}

function verdict(value: number, target: number): string {
  return value <= target ? `target <= ${target}x: met` : `target <= ${target}x: MISSED`;
}

/** `label size, label size, ...` for bytes by stage or by memory tag, in insertion order. */
function labelledBytes(sizes: Readonly<Record<string, number>>): string {
  return Object.entries(sizes)
    .map(([label, n]) => `${label} ${bytes(n)}`)
    .join(", ");
}

export function timingTable(r: BenchResult): string {
  const t = r.times;
  const c = r.cpu;
  const rows = [
    ["stage", "wall", "cpu", "ratio (wall)", "target"],
    ["floor: bare scan of the feature stage's raw columns", seconds(t.floorMs), seconds(c.floorMs), "", ""],
    [
      "feature stage (read + features + data quality)",
      seconds(t.featuresMs),
      seconds(c.featuresMs),
      `${ratio(r.ratios.featureOverFloor)} floor`,
      verdict(r.ratios.featureOverFloor, TARGETS.featureOverFloor),
    ],
    [
      `detectors (${r.detectors})`,
      seconds(t.detectorsMs),
      seconds(c.detectorsMs),
      `${ratio(r.ratios.detectorsOverFeature)} feature`,
      verdict(r.ratios.detectorsOverFeature, TARGETS.detectorsOverFeature),
    ],
    [
      `scoring + evidence + reporting (${r.reporting.how})`,
      seconds(t.scoringMs),
      seconds(c.scoringMs),
      "",
      "",
    ],
    ["total audit", seconds(t.totalMs), seconds(c.totalMs), `${ratio(r.ratios.totalOverFloor)} floor`, ""],
  ];
  return [
    textTable(rows, [false, true, true, true, false]),
    `cpu ratios: feature/floor ${ratio(c.featuresMs / c.floorMs)}, detectors/feature ${ratio(c.detectorsMs / c.featuresMs)}, total/floor ${ratio(c.totalMs / c.floorMs)}`,
    `throughput: ${int(r.requestsPerSecond)} requests/s; peak RSS ${bytes(r.peakRssBytes)} (process maximum, DuckDB included)`,
    `peak RSS by stage: ${labelledBytes(r.peakRssByStage)}`,
    `peak Node heap by stage (V8 + external; the rest of RSS is DuckDB and freed memory the allocators keep): ${labelledBytes(r.peakNodeHeapByStage ?? {})}`,
    `DuckDB memory after the feature stage: ${labelledBytes(r.duckdbMemoryAfterFeatures) || "none reported"}`,
  ].join("\n");
}

export function profileTable(
  variants: readonly { name: string; removes: string; wallMs: number; cpuMs: number }[],
  floorWallMs: number,
  floorCpuMs: number,
): string {
  const full = variants.find((v) => v.name === "full");
  const rows = [
    ["variant", "wall", "cpu", "cpu saved vs full", "cpu / floor", "removes"],
    ...variants.map((v) => [
      v.name,
      seconds(v.wallMs),
      seconds(v.cpuMs),
      full && v !== full
        ? `${seconds(full.cpuMs - v.cpuMs)} (${Math.round((100 * (full.cpuMs - v.cpuMs)) / full.cpuMs)}%)`
        : "",
      ratio(v.cpuMs / floorCpuMs),
      v.removes,
    ]),
    ["floor", seconds(floorWallMs), seconds(floorCpuMs), "", "1.00x", "bare scan of the same raw columns"],
  ];
  return `feature stage profile (features.sql materialised; best of N):\n${textTable(rows, [false, true, true, true, true, false])}`;
}

export function queryTable(queries: readonly QueryTiming[], top = 14): string {
  const sorted = [...queries].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, top);
  return textTable(
    [
      ["query", "wall", "cpu", "rows"],
      ...sorted.map((q) => [q.query, seconds(q.wallMs), seconds(q.cpuMs), int(q.rows)]),
    ],
    [false, true, true, true],
  );
}

function auditTable(a: AuditCost): string {
  const rows = [
    ["query", "reads", "scanned", "billed", "cost"],
    ...a.queries.map((q, i) => [
      i === 0 ? `${q.query} (compaction)` : q.query,
      q.scans.map((s) => `${s.relation}(${s.columns.length} cols)`).join(" + "),
      bytes(q.scannedBytes),
      bytes(q.billedBytes),
      usd(q.usd),
    ]),
    ["total", "", bytes(a.scannedBytes), bytes(a.billedBytes), usd(a.usd)],
  ];
  return textTable(rows, [false, false, true, true, true]);
}

export function costReport(c: BenchCost): string {
  const lines: string[] = [
    "Athena cost model: $5/TB scanned, each query rounded up to 1 MB with a 10 MB minimum (1 MB = 1e6 B).",
    "Bytes = compressed column chunks (Parquet footers) of the columns each query names, in the dt partitions of its window.",
    `Raw requests on disk: ${bytes(c.rawBytes)}; compact request_features (Parquet zstd by dt, ordered by ${FEATURE_STORE_ORDER.join(", ")}): ${bytes(c.featuresBytes)}.`,
    `Definition: ${AMPLIFICATION_DEFINITION}.`,
  ];
  for (const [a, p, title] of [
    [c.hourly, c.projection.hourly, "hourly audit"],
    [c.daily, c.projection.daily, "daily audit"],
  ] as const) {
    const target = a.kind === "daily" ? ` (${verdict(a.amplification, TARGETS.dailyAmplification)})` : "";
    lines.push(
      "",
      `${title}: window ${a.window.start} .. ${a.window.end}, compaction of ${a.newData.start} .. ${a.newData.end}`,
      auditTable(a),
      `one pass over the raw columns across the window: ${bytes(a.onePassRawBytes)}; scan amplification ${a.amplification.toFixed(2)}${target}`,
      `with row groups skipped on ts statistics: scanned ${bytes(a.scannedBytesRowGroupPruned)} over a one-pass ${bytes(a.onePassRawBytesRowGroupPruned)}: amplification ${a.amplificationRowGroupPruned.toFixed(2)}`,
      `largest columns over all queries: ${Object.entries(a.bytesByColumn)
        .slice(0, 6)
        .map(([column, n]) => `${column} ${bytes(n)}`)
        .join(", ")}`,
      `requests: ${int(a.requestsInWindow)} in the window, ${int(a.newRequests)} new; ${usd(a.usdPerMillionNewRequests)} per million new requests (steady state), ${usd(a.usdPerMillionRequestsInWindow)} per million in the window`,
      `projected at ${int(c.projection.requestsPerDay)} requests/day: ${bytes(p.scannedBytes)} scanned, ${usd(p.usd)} per run, ${usd(p.usdPerMillionNewRequests)} per million new requests`,
    );
  }
  for (const [d, p, label] of [
    [c.hourlyDay, c.projection.hourlyDay, "as deployed (dt partitions: each run recompacts the day so far)"],
    [c.hourlyDayHourPartitions, c.projection.hourlyDayHourPartitions, "if partitioned by hour too"],
  ] as const) {
    if (!d) continue;
    lines.push(
      "",
      `hourly schedule, one steady-state day (${d.day}, 24 runs), ${label}:`,
      `  compaction ${bytes(d.compactionBytes)} + audit queries ${bytes(d.queryBytes)} = ${bytes(d.scannedBytes)} scanned, ${bytes(d.billedBytes)} billed, ${usd(d.usd)}/day`,
      `  one pass over the day's raw columns ${bytes(d.onePassRawBytes)}: amplification ${d.amplification.toFixed(2)}; ${usd(d.usdPerMillionRequests)} per million requests of the day (${int(d.requests)})`,
      ...(p
        ? [
            `  projected at ${int(c.projection.requestsPerDay)} requests/day: ${bytes(p.scannedBytes)} scanned, ${usd(p.usd)}/day, ${usd(p.usdPerMillionNewRequests)} per million requests`,
          ]
        : []),
    );
  }
  return lines.join("\n");
}

const RESULTS_HEADER = (m: Machine, date: string) => `# Benchmark results

## For the README: scale and cost

\`npm run bench -- --requests N [--format parquet|jsonl] [--days 7] [--threads T] [--memory-limit 4GB]\`
generates N requests of synthetic traffic once (cached under \`.cache/bench/<format>-<N>\`, not
timed), then in one process measures a bare scan (the floor) and a full audit of the whole data set
on the local DuckDB engine, prints one table, writes the details as JSON to \`bench/out/\` and
appends one row below. \`--cost-only\` prints only the Athena cost model; \`--profile-features\`
times the feature stage with one part removed at a time (which regex costs most).

Columns: **floor** is a bare DuckDB scan that reads only the raw columns the feature stage reads
(\`count(*)\`, \`sum(length(...))\` of every text column, \`count(...)\` of the others; the column
list is derived from \`lib/sql/features.sql\`). **features** is the feature stage: reading the
requests, the one pass over prompt text that materialises \`request_features\`, and data quality.
**detectors** is every detector; they read only the compact features. **scoring** is scoring,
evidence queries and report rendering/publishing. **total** is features + detectors + scoring (the
floor is not part of it). **total cpu** is the process CPU time of the audit (all DuckDB threads):
when the wall time is far above cpu / threads, other work was competing for the cores. **req/s** =
requests / total. **peak RSS** is the process maximum (\`process.resourceUsage()\`; DuckDB runs
in-process). Ratios: feature/floor (target <= 8), detectors/feature (target <= 0.5), total/floor.
Targets on 16M Parquet requests: total <= 60 s, peak RSS <= 4 GB, 16M at most 20x the time of 1M.

Athena cost: the bytes a query scans = the compressed Parquet column chunks (from the files'
footers) of the columns the query names, in the dt partitions of its window; $5 per TB, each query
rounded up to a whole MB with a 10 MB minimum. Detector queries read the compact
\`request_features\` table as the compaction job writes it (Parquet, zstd, partitioned by dt, each
day's rows sorted by account and time). The
**hourly** audit compacts the newest hour and runs every audit query over the last 3 hours; the
**daily** audit compacts the previous day and runs every audit query over 7 days (the day plus its
lookback). Partitions are days, so an hourly query reads whole day partitions unless Parquet row
groups can be skipped on their ts statistics (shown separately). **Scan amplification** = bytes
scanned by all queries of an audit / bytes of ONE pass over the raw columns those queries need
across the audit's window (target <= 1.5 for the daily audit): 1.0 is "read the raw data once".
**daily $/M new** = the daily audit's cost per million requests that are new in the run (each request
is new in exactly one run: the steady-state cost of auditing traffic); on small data sets the 10 MB
minimum per query dominates it, so the bench also prints a projection at 100M requests/day. It
also prices a steady-state day of the hourly schedule as deployed (dt partitions: every hourly
compaction recomputes the day so far, every hourly query reads whole day partitions) and as it
would be with hour partitions.

## Machine

Created ${date}: ${m.cores} cores (${m.cpu}), ${bytes(m.totalMemoryBytes)} memory, ${m.platform},
Node ${m.node}, DuckDB ${m.duckdb}. Each row repeats the core count.

## Results

| date | format | requests | cores | threads | floor | features | detectors | scoring | total | total cpu | req/s | peak RSS | feat/floor | det/feat | total/floor | daily amp | daily $/M new | note |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
`;

export function resultsRow(r: BenchResult): string {
  const t = r.times;
  const cells = [
    r.date.slice(0, 16).replace("T", " "),
    r.options.format,
    int(r.options.requests),
    String(r.machine.cores),
    String(r.options.threads),
    seconds(t.floorMs),
    seconds(t.featuresMs),
    seconds(t.detectorsMs),
    seconds(t.scoringMs),
    seconds(t.totalMs),
    seconds(r.cpu.totalMs),
    int(r.requestsPerSecond),
    bytes(r.peakRssBytes),
    ratio(r.ratios.featureOverFloor),
    ratio(r.ratios.detectorsOverFeature),
    ratio(r.ratios.totalOverFloor),
    r.cost ? r.cost.daily.amplification.toFixed(2) : "",
    r.cost ? usd(r.cost.daily.usdPerMillionNewRequests) : "",
    (r.options.note ?? "").replaceAll("|", "/"),
  ];
  return `| ${cells.join(" | ")} |\n`;
}

/** Appends one row to RESULTS.md, creating it (with its explanatory header) on first use. */
export function appendResults(path: string, r: BenchResult): void {
  if (!existsSync(path)) writeFileSync(path, RESULTS_HEADER(r.machine, r.date.slice(0, 10)));
  const text = readFileSync(path, "utf8");
  appendFileSync(path, `${text.endsWith("\n") ? "" : "\n"}${resultsRow(r)}`);
}
