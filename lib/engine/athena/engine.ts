import { createHash } from "node:crypto";
import { positionalValues, sqlQuery } from "../../sql/catalog.ts";
import { canonicalOrder } from "../canonical.ts";
import type {
  AuditWindow,
  PreparedWindow,
  QueryEngine,
  QueryParams,
  QueryResult,
  QueryStats,
  Row,
} from "../port.ts";
import { windowParams } from "../port.ts";
import type { FeatureCompactor } from "./features.ts";
import { athenaLiteral } from "./literals.ts";
import type { AthenaRunner, Execution } from "./runner.ts";

export interface AthenaEngineOptions {
  readonly runner: AthenaRunner;
  readonly compactor: FeatureCompactor;
  /**
   * Seed of every ClientRequestToken: the run id (plus a replay nonce when one is given), so a
   * retried invocation of the same run gets back executions Athena already ran.
   */
  readonly runSeed: string;
  /** Recompact every day of the window before auditing (backfills after late data). */
  readonly recompact?: boolean;
}

/**
 * One cheap query instead of a pass over the logs: how many feature rows the window has, and
 * whether the accounts table has any record (LIMIT 1: Athena stops at the first).
 */
export const PROBE_SQL = `SELECT f.feature_rows, a.accounts_present
FROM (
  SELECT count(*) AS feature_rows
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND (ts IS NULL OR (ts >= ? AND ts < ?))
) f
CROSS JOIN (
  SELECT count(*) AS accounts_present FROM (SELECT 1 AS present FROM accounts LIMIT 1) first_account
) a`;

const PROBE_PARAMS = ["dt_start", "dt_end", "window_start", "window_end"] as const;
const PROBE_SHA256 = createHash("sha256").update(PROBE_SQL).digest("hex");

/** Athena adapter of the QueryEngine port: the same catalogue SQL, over Glue tables in S3. */
export class AthenaEngine implements QueryEngine {
  readonly name = "athena" as const;
  /** Seed for queries over the features: includes the generations they read, so reuse is exact. */
  private querySeed: string;

  constructor(private readonly options: AthenaEngineOptions) {
    this.querySeed = options.runSeed;
  }

  async prepare(window: AuditWindow): Promise<PreparedWindow> {
    const ensured = await this.options.compactor.ensure(window, {
      seed: this.options.runSeed,
      force: this.options.recompact === true,
    });
    this.querySeed = `${this.options.runSeed}|${ensured.days.map((d) => `${d.day}:${d.generation}`).join(",")}`;
    const params = windowParams(window);
    const parameters = PROBE_PARAMS.map((name) => athenaLiteral(params[name] as Date | string));
    const execution = await this.options.runner.execute(() => ({
      label: "prepare_probe",
      sql: PROBE_SQL,
      parameters,
      tokenSeed: `${this.querySeed}|prepare_probe|${parameters.join("\u0000")}`,
    }));
    const rows = await this.options.runner.rows(execution);
    const probe = rows[0] ?? {};
    return {
      stats: [
        ...ensured.stats,
        statsOf(execution, "prepare_probe", PROBE_SHA256, Number(probe.feature_rows ?? 0)),
      ],
      // Athena's JSON reader has no reject channel: malformed lines become all-NULL rows, which the
      // feature stage counts as rejects (missing_request_id and friends).
      readerRejects: {},
      accountsAvailable: Number(probe.accounts_present ?? 0) > 0,
      filesRead: ensured.days.reduce((n, d) => n + d.sourceFiles, 0),
    };
  }

  async run<R extends Row>(name: string, params: QueryParams): Promise<QueryResult<R>> {
    const query = sqlQuery(name);
    const parameters = positionalValues(query, params).map(athenaLiteral);
    const execution = await this.options.runner.execute(() => ({
      label: name,
      sql: query.text,
      parameters,
      tokenSeed: `${this.querySeed}|${name}|${query.sha256}|${parameters.join("\u0000")}`,
    }));
    // Athena's row order is as undefined as DuckDB's: both adapters hand rows over canonically.
    const rows = canonicalOrder((await this.options.runner.rows(execution)) as R[]);
    return { rows, stats: statsOf(execution, name, query.sha256, rows.length) };
  }

  async close(): Promise<void> {
    // Nothing to release: the SDK client belongs to the caller.
  }
}

function statsOf(execution: Execution, query: string, sqlSha256: string, rows: number): QueryStats {
  return {
    query,
    sqlSha256,
    executionId: execution.id,
    bytesScanned: execution.bytesScanned,
    elapsedMs: execution.engineMs,
    rows,
  };
}
