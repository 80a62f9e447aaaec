import { createHash } from "node:crypto";
import {
  BatchGetPartitionCommand,
  CreatePartitionCommand,
  GetTableCommand,
  type GlueClient,
  type Partition,
  type PartitionInput,
  type StorageDescriptor,
  UpdatePartitionCommand,
} from "@aws-sdk/client-glue";
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { positionalValues, sqlQuery } from "../../sql/catalog.ts";
import { DAY_MS, HOUR_MS } from "../../time.ts";
import type { AuditWindow, QueryStats } from "../port.ts";
import { DUPLICATE_REJECT_REASON, FEATURE_STORE_ORDER, windowDays } from "../port.ts";
import { athenaLiteral, stringLiteral } from "./literals.ts";
import { type AthenaRunner, requestToken } from "./runner.ts";

/**
 * The compact feature table on AWS: `request_features`, Parquet, one Glue partition per UTC day.
 *
 * Write protocol (idempotent, readers never see a half-written day):
 *   1. UNLOAD the feature stage over the day's partition, complete for [day 00:00, until) (it
 *      keeps every row already there, later ones too: audits count those outside their window
 *      rather than lose them), into a fresh generation prefix
 *      `<prefix>dt=<day>/gen=<until>-<token>/`. The token derives from the day, `until`, the
 *      features SQL hash and the caller's seed, so a retried invocation reuses the same Athena
 *      execution (ClientRequestToken) and target; a failed attempt moves to a new, empty target.
 *   2. Commit: point the day's Glue partition at the new generation (CreatePartition, or
 *      UpdatePartition when it exists), recording in its parameters what it covers. This single
 *      metadata write is the switch: queries see the old generation or the new one, never both.
 *      A partition that already covers strictly more (a concurrent, later compaction) is kept.
 *   3. Delete generations of that day that nothing points at and that are older than a grace
 *      period (a query planned before the switch may still be reading them).
 * Re-running any step is harmless; so is running two compactions of one day at once (last commit
 * wins, and either generation is complete).
 */

export type GlueColumnType = "string" | "timestamp" | "bigint" | "double" | "boolean";

export interface FeatureColumn {
  readonly name: string;
  readonly type: GlueColumnType;
}

export const FEATURES_TABLE = "request_features";
export const FEATURES_PARTITION_KEY = "dt";

/** The columns of lib/sql/features.sql except `dt` (the partition key), in its order. */
export const FEATURE_COLUMNS: readonly FeatureColumn[] = [
  { name: "request_id", type: "string" },
  { name: "ts", type: "timestamp" },
  { name: "hour_bucket", type: "timestamp" },
  { name: "account_id", type: "string" },
  { name: "api_key_id", type: "string" },
  { name: "model", type: "string" },
  { name: "input_tokens", type: "bigint" },
  { name: "output_tokens", type: "bigint" },
  { name: "max_tokens", type: "bigint" },
  { name: "temperature", type: "double" },
  { name: "thinking_budget", type: "bigint" },
  { name: "tools", type: "bigint" },
  { name: "turns", type: "bigint" },
  { name: "conversation_hash", type: "bigint" },
  { name: "status", type: "bigint" },
  { name: "source_country", type: "string" },
  { name: "source_asn", type: "bigint" },
  { name: "user_agent", type: "string" },
  { name: "client_network", type: "string" },
  { name: "prompt_chars", type: "bigint" },
  { name: "prompt_hash", type: "bigint" },
  { name: "skeleton_hash", type: "bigint" },
  { name: "skeleton_excerpt", type: "string" },
  { name: "system_hash", type: "bigint" },
  { name: "asks_reasoning", type: "boolean" },
  { name: "asks_reconstruction", type: "boolean" },
  { name: "asks_grading", type: "boolean" },
  { name: "asks_rewrite", type: "boolean" },
  { name: "capability", type: "string" },
  { name: "single_turn", type: "boolean" },
  { name: "reject_reason", type: "string" },
];

/**
 * Changes whenever the column list, the row order or the duplicate rule does: partitions written
 * with another layout are recompacted.
 */
export const FEATURES_LAYOUT = createHash("sha256")
  .update(FEATURE_COLUMNS.map((c) => `${c.name}:${c.type}`).join(","))
  .update(`order:${FEATURE_STORE_ORDER.join(",")}`)
  .update(`duplicates:${DUPLICATE_REJECT_REASON}`)
  .digest("hex")
  .slice(0, 16);

const PARAM = {
  generation: "distill_audit.generation",
  coveredUntil: "distill_audit.covered_until",
  compactedAt: "distill_audit.compacted_at",
  sqlSha256: "distill_audit.features_sql_sha256",
  layout: "distill_audit.layout",
  sourceFiles: "distill_audit.source_files",
  executionId: "distill_audit.query_execution_id",
} as const;

/**
 * An UNLOAD of `sql` (its columns selected by name, in order) as ZSTD Parquet under `location`,
 * each file's rows sorted by `orderBy` when given. Only the location is spliced; callers build it
 * from checked parts.
 */
export function unloadSql(
  sql: string,
  columns: readonly FeatureColumn[],
  location: string,
  orderBy: readonly string[] = [],
): string {
  return [
    "UNLOAD (",
    "  SELECT",
    `    ${columns.map((c) => c.name).join(",\n    ")}`,
    "  FROM (",
    sql.trimEnd(),
    "  ) unloaded",
    ...(orderBy.length > 0 ? [`  ORDER BY ${orderBy.join(", ")}`] : []),
    ")",
    `TO ${stringLiteral(location)}`,
    "WITH (format = 'PARQUET', compression = 'ZSTD')",
  ].join("\n");
}

/** The UNLOAD that writes one generation of a day's features, duplicate request ids ranked. */
export function compactionSql(featuresSql: string, location: string): string {
  const ranked = [
    "SELECT",
    ...FEATURE_COLUMNS.filter((c) => c.name !== "reject_reason").map((c) => `  ${c.name},`),
    `  ${DUPLICATE_REJECT_REASON.replaceAll("\n", "\n  ")} AS reject_reason`,
    "FROM (",
    featuresSql.trimEnd(),
    ") features",
  ].join("\n");
  // Athena bills compressed bytes, and most audit queries read account_id and ts over the whole
  // lookback; Athena keeps the ORDER BY within each file UNLOAD writes.
  return unloadSql(ranked, FEATURE_COLUMNS, location, FEATURE_STORE_ORDER);
}

export interface DayCoverage {
  readonly day: string;
  readonly generation: string;
  readonly location: string;
  readonly coveredUntil: Date;
  readonly compactedAt: Date;
  readonly sqlSha256: string;
  readonly layout: string;
  readonly sourceFiles: number;
}

/** A day of the window and the instant up to which its partition must hold features. */
export interface DayNeed {
  readonly day: string;
  readonly until: Date;
}

/** One entry per UTC day the window touches; each day's partition must cover [00:00, until). */
export function dayNeeds(window: AuditWindow): DayNeed[] {
  return windowDays(window).map((day) => ({
    day,
    until: new Date(Math.min(window.end.getTime(), Date.parse(`${day}T00:00:00Z`) + DAY_MS)),
  }));
}

function compactUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

export interface FeatureCompactorOptions {
  readonly runner: AthenaRunner;
  readonly glue: GlueClient;
  readonly s3: S3Client;
  readonly database: string;
  readonly table?: string;
  readonly catalogId?: string;
  /** Bucket and key prefix ("features/") of the compact table. */
  readonly bucket: string;
  readonly prefix: string;
  /** The request logs, to record how many files each day had (`<prefix>requests/dt=<day>/`). */
  readonly logs: { readonly bucket: string; readonly prefix: string };
  /** Data for an instant is trusted complete this long after it (log delivery lag). */
  readonly settleMs?: number;
  /** Unreferenced generations younger than this are kept for queries that may still read them. */
  readonly staleGenerationMs?: number;
  /** Days compacted at once. */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

export interface EnsureOptions {
  /** Seed of tokens and generation names: the run id, so retried invocations converge. */
  readonly seed: string;
  /** Recompact every day of the window even if covered (late data, replays). */
  readonly force?: boolean;
}

export interface EnsureResult {
  /** Coverage of every day of the window, in order. */
  readonly days: readonly DayCoverage[];
  /** Days this call compacted. */
  readonly compacted: readonly string[];
  readonly stats: readonly QueryStats[];
}

export class FeatureCompactor {
  private readonly table: string;
  private readonly settleMs: number;
  private readonly staleMs: number;
  private readonly concurrency: number;
  private readonly now: () => Date;
  private descriptor: Promise<StorageDescriptor> | undefined;

  constructor(private readonly options: FeatureCompactorOptions) {
    for (const [what, value] of [
      ["features bucket", options.bucket],
      ["log bucket", options.logs.bucket],
    ] as const) {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value))
        throw new Error(`invalid ${what} name "${value}"`);
    }
    if (/['\\]/.test(options.prefix)) throw new Error(`invalid features prefix "${options.prefix}"`);
    this.table = options.table ?? FEATURES_TABLE;
    this.settleMs = options.settleMs ?? 15 * 60_000;
    this.staleMs = options.staleGenerationMs ?? 2 * HOUR_MS;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? (() => new Date());
  }

  /** Whether a partition holds settled features for [day, until) computed by today's code. */
  covers(coverage: DayCoverage | undefined, until: Date): boolean {
    return (
      coverage !== undefined &&
      coverage.sqlSha256 === sqlQuery("features").sha256 &&
      coverage.layout === FEATURES_LAYOUT &&
      coverage.coveredUntil.getTime() >= until.getTime() &&
      coverage.compactedAt.getTime() >= until.getTime() + this.settleMs
    );
  }

  /** Makes sure every day of the window is compacted far enough, compacting the days that are not. */
  async ensure(window: AuditWindow, options: EnsureOptions): Promise<EnsureResult> {
    const needs = dayNeeds(window);
    const existing = await this.coverage(needs.map((n) => n.day));
    // A day being (re)compacted keeps at least the extent it had: recompacting for late data must
    // not shrink what earlier audits already needed.
    const todo = needs
      .filter((n) => options.force === true || !this.covers(existing.get(n.day), n.until))
      .map((n) => {
        const had = existing.get(n.day)?.coveredUntil.getTime() ?? 0;
        return had > n.until.getTime() ? { day: n.day, until: new Date(had) } : n;
      });
    const done = await mapLimit(todo, this.concurrency, (need) => this.compactDay(need, options.seed));
    const fresh = new Map(done.map((d) => [d.coverage.day, d.coverage]));
    const days = needs.map((n) => {
      const coverage = fresh.get(n.day) ?? existing.get(n.day);
      if (!coverage) throw new Error(`no features partition for ${n.day} after compaction`);
      return coverage;
    });
    return { days, compacted: todo.map((n) => n.day), stats: done.map((d) => d.stats) };
  }

  /** The committed partitions of these days, read from Glue (no Athena scan). */
  async coverage(days: readonly string[]): Promise<Map<string, DayCoverage>> {
    const out = new Map<string, DayCoverage>();
    for (let i = 0; i < days.length; i += 1000) {
      const batch = days.slice(i, i + 1000);
      const response = await this.options.glue.send(
        new BatchGetPartitionCommand({
          CatalogId: this.options.catalogId,
          DatabaseName: this.options.database,
          TableName: this.table,
          PartitionsToGet: batch.map((day) => ({ Values: [day] })),
        }),
      );
      for (const partition of response.Partitions ?? []) {
        const coverage = coverageOf(partition);
        if (coverage) out.set(coverage.day, coverage);
      }
    }
    return out;
  }

  /** Writes a new generation of one day and commits it. */
  async compactDay(need: DayNeed, seed: string): Promise<{ coverage: DayCoverage; stats: QueryStats }> {
    const features = sqlQuery("features");
    const dayStart = new Date(`${need.day}T00:00:00Z`);
    const parameters = positionalValues(features, {
      dt_start: need.day,
      dt_end: need.day,
      window_start: dayStart,
      window_end: need.until,
    }).map(athenaLiteral);
    const tokenSeed = [
      "features",
      need.day,
      need.until.toISOString(),
      features.sha256,
      FEATURES_LAYOUT,
      this.location(need.day, ""),
      seed,
    ].join("|");
    const generationOf = (attempt: number) =>
      `${compactUtc(need.until)}-${requestToken(tokenSeed, attempt).slice(0, 12)}`;
    let generation = generationOf(1);
    const execution = await this.options.runner.execute(
      (attempt) => {
        generation = generationOf(attempt);
        return {
          label: `features@${need.day}`,
          sql: compactionSql(features.text, this.location(need.day, generation)),
          parameters,
          tokenSeed,
        };
      },
      // A target that already holds files (a crashed attempt whose token Athena forgot) is not
      // retried in place: the next attempt writes to a new generation.
      { retryOn: (failure) => /HIVE_PATH_ALREADY_EXISTS|already exists/i.test(failure.message) },
    );
    const sourceFiles = await this.countSourceFiles(need.day);
    const written: DayCoverage = {
      day: need.day,
      generation,
      location: this.location(need.day, generation),
      coveredUntil: need.until,
      compactedAt: this.now(),
      sqlSha256: features.sha256,
      layout: FEATURES_LAYOUT,
      sourceFiles,
    };
    const coverage = await this.commit(written, execution.id);
    await this.removeStaleGenerations(need.day, coverage.generation);
    return {
      coverage,
      stats: {
        query: execution.label,
        sqlSha256: features.sha256,
        executionId: execution.id,
        bytesScanned: execution.bytesScanned,
        elapsedMs: execution.engineMs,
        // UNLOAD reports no row count; the rows are counted when the audit reads them.
        rows: 0,
      },
    };
  }

  location(day: string, generation: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid partition day "${day}"`);
    return `s3://${this.options.bucket}/${this.options.prefix}${FEATURES_PARTITION_KEY}=${day}/gen=${generation}/`;
  }

  /**
   * Points the day's partition at the new generation, unless a concurrent compaction already
   * committed one that covers strictly more with the same SQL (never move coverage backwards).
   * Returns the coverage the partition ends up with.
   */
  private async commit(coverage: DayCoverage, executionId: string): Promise<DayCoverage> {
    const current = (await this.coverage([coverage.day])).get(coverage.day);
    if (
      current !== undefined &&
      current.sqlSha256 === coverage.sqlSha256 &&
      current.layout === coverage.layout &&
      current.coveredUntil.getTime() > coverage.coveredUntil.getTime()
    ) {
      return current;
    }
    const descriptor = await this.storageDescriptor();
    const input: PartitionInput = {
      Values: [coverage.day],
      StorageDescriptor: { ...descriptor, Location: coverage.location },
      Parameters: {
        [PARAM.generation]: coverage.generation,
        [PARAM.coveredUntil]: coverage.coveredUntil.toISOString(),
        [PARAM.compactedAt]: coverage.compactedAt.toISOString(),
        [PARAM.sqlSha256]: coverage.sqlSha256,
        [PARAM.layout]: coverage.layout,
        [PARAM.sourceFiles]: String(coverage.sourceFiles),
        [PARAM.executionId]: executionId,
      },
    };
    const where = {
      CatalogId: this.options.catalogId,
      DatabaseName: this.options.database,
      TableName: this.table,
    };
    try {
      await this.options.glue.send(new CreatePartitionCommand({ ...where, PartitionInput: input }));
    } catch (error) {
      if ((error as { name?: string }).name !== "AlreadyExistsException") throw error;
      await this.options.glue.send(
        new UpdatePartitionCommand({ ...where, PartitionValueList: [coverage.day], PartitionInput: input }),
      );
    }
    return coverage;
  }

  /** The table's storage descriptor (Parquet SerDe, columns), which each partition repeats. */
  private storageDescriptor(): Promise<StorageDescriptor> {
    this.descriptor ??= this.options.glue
      .send(
        new GetTableCommand({
          CatalogId: this.options.catalogId,
          DatabaseName: this.options.database,
          Name: this.table,
        }),
      )
      .then((response) => {
        const sd = response.Table?.StorageDescriptor;
        if (!sd)
          throw new Error(`Glue table ${this.options.database}.${this.table} has no storage descriptor`);
        return sd;
      });
    return this.descriptor;
  }

  private async countSourceFiles(day: string): Promise<number> {
    const prefix = `${this.options.logs.prefix}requests/dt=${day}/`;
    let count = 0;
    let token: string | undefined;
    do {
      const page = await this.options.s3.send(
        new ListObjectsV2Command({
          Bucket: this.options.logs.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      count += (page.Contents ?? []).filter((o) => o.Key !== undefined && !o.Key.endsWith("/")).length;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return count;
  }

  private async removeStaleGenerations(day: string, current: string): Promise<void> {
    const dayPrefix = `${this.options.prefix}${FEATURES_PARTITION_KEY}=${day}/`;
    const keep = `${dayPrefix}gen=${current}/`;
    const cutoff = this.now().getTime() - this.staleMs;
    let token: string | undefined;
    do {
      const page = await this.options.s3.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: dayPrefix,
          ContinuationToken: token,
        }),
      );
      const stale = (page.Contents ?? [])
        .filter(
          (o) =>
            o.Key !== undefined &&
            !o.Key.startsWith(keep) &&
            o.LastModified !== undefined &&
            o.LastModified.getTime() < cutoff,
        )
        .map((o) => ({ Key: o.Key as string }));
      if (stale.length > 0) {
        await this.options.s3.send(
          new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: stale, Quiet: true } }),
        );
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

function coverageOf(partition: Partition): DayCoverage | null {
  const day = partition.Values?.[0];
  const p = partition.Parameters ?? {};
  const location = partition.StorageDescriptor?.Location;
  const coveredUntil = p[PARAM.coveredUntil];
  const compactedAt = p[PARAM.compactedAt];
  if (!day || !location || !coveredUntil || !compactedAt) return null;
  return {
    day,
    generation: p[PARAM.generation] ?? "",
    location,
    coveredUntil: new Date(coveredUntil),
    compactedAt: new Date(compactedAt),
    sqlSha256: p[PARAM.sqlSha256] ?? "",
    layout: p[PARAM.layout] ?? "",
    sourceFiles: Number(p[PARAM.sourceFiles] ?? 0),
  };
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
