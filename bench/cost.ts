import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  type CostModel,
  type ProjectedCost,
  parquetLayout,
  priceAudits,
  projectAudit,
  projectHourlyDay,
  type RelationLayout,
  type SqlRows,
  wholeFileLayout,
} from "../lib/cost/index.ts";
import type { DuckDbEngine } from "../lib/engine/duckdb/engine.ts";
import { FEATURE_STORE_ORDER } from "../lib/engine/port.ts";

export interface BenchCost extends CostModel {
  readonly rawBytes: number;
  readonly featuresBytes: number;
  /** The same audits at a projected traffic, bytes scaled linearly, minimum re-applied per query. */
  readonly projection: {
    readonly requestsPerDay: number;
    readonly hourly: ProjectedCost;
    readonly daily: ProjectedCost;
    readonly hourlyDay: ProjectedCost | null;
    readonly hourlyDayHourPartitions: ProjectedCost | null;
  };
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function timestampLiteral(date: Date): string {
  return `TIMESTAMP '${date.toISOString().replace("T", " ").replace("Z", "")}'`;
}

function totalBytes(layout: RelationLayout): number {
  let n = 0;
  for (const rg of layout.rowGroups) for (const b of Object.values(rg.columnBytes)) n += b;
  return n;
}

/**
 * Prices the hourly and daily audits on Athena for the data set the engine has prepared: the
 * compact `request_features` table is written as the compaction job writes it (Parquet, zstd,
 * partitioned by dt, rows in the store order) and its footers, with the raw files' footers, feed
 * the model in lib/cost.
 */
export async function benchCost(
  engine: DuckDbEngine,
  options: {
    readonly rawFiles: readonly string[];
    readonly workDir: string;
    readonly end: Date;
    readonly hours: number;
    readonly lookbackDays: number;
    readonly projectedRequestsPerDay: number;
    readonly days: number;
  },
): Promise<BenchCost> {
  const rows: SqlRows = (sql) => engine.rows(sql);
  const featuresDir = join(options.workDir, "request_features");
  rmSync(featuresDir, { recursive: true, force: true });
  await engine.rows(
    `COPY (SELECT * FROM request_features ORDER BY ${FEATURE_STORE_ORDER.join(", ")}) TO ${sqlString(featuresDir)} (FORMAT parquet, PARTITION_BY (dt), COMPRESSION zstd)`,
  );
  const features = await parquetLayout(rows, "request_features", filesUnder(featuresDir, ".parquet"));
  const raw =
    engine.sources.requestFormat === "parquet"
      ? await parquetLayout(rows, "requests", options.rawFiles)
      : wholeFileLayout("requests", options.rawFiles);
  const accountFiles = engine.sources.accounts.files;
  const accounts =
    accountFiles.length === 0
      ? null
      : engine.sources.accounts.format === "parquet"
        ? await parquetLayout(rows, "accounts", accountFiles, "created_at")
        : wholeFileLayout("accounts", accountFiles);
  const model = await priceAudits({
    raw,
    features,
    accounts,
    end: options.end,
    hours: options.hours,
    lookbackDays: options.lookbackDays,
    hourlyRequests: new Map(
      (
        await engine.rows(
          "SELECT strftime(hour_bucket, '%Y-%m-%dT%H:00:00Z') AS hour, count(*) AS n FROM request_features WHERE hour_bucket IS NOT NULL GROUP BY 1",
        )
      ).map((r) => [String(r.hour), Number(r.n)]),
    ),
    countRequests: async (window) =>
      Number(
        (
          await engine.rows(
            `SELECT count(*) AS n FROM request_features WHERE ts >= ${timestampLiteral(window.start)} AND ts < ${timestampLiteral(window.end)}`,
          )
        )[0]?.n ?? 0,
      ),
  });
  const total = Number((await engine.rows("SELECT count(*) AS n FROM request_features"))[0]?.n ?? 0);
  const perDay = total / options.days;
  const factor = perDay === 0 ? 0 : options.projectedRequestsPerDay / perDay;
  rmSync(featuresDir, { recursive: true, force: true });
  return {
    ...model,
    rawBytes: totalBytes(raw),
    featuresBytes: totalBytes(features),
    projection: {
      requestsPerDay: options.projectedRequestsPerDay,
      hourly: projectAudit(model.hourly, factor),
      daily: projectAudit(model.daily, factor),
      hourlyDay: model.hourlyDay ? projectHourlyDay(model.hourlyDay, factor) : null,
      hourlyDayHourPartitions: model.hourlyDayHourPartitions
        ? projectHourlyDay(model.hourlyDayHourPartitions, factor)
        : null,
    },
  };
}
