import { positionalValues, sqlCatalog, sqlQuery, withSharedRelations } from "../../sql/catalog.ts";
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
import { sharedLocation, sharedReaderSql, sharedRun, sharedUnloadSql } from "./shared.ts";

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
  /** `s3://<bucket>/<prefix>` under which shared relations are written (see shared.ts). */
  readonly sharedLocation: string;
}

/** Athena adapter of the QueryEngine port: the same catalogue SQL, over Glue tables in S3. */
export class AthenaEngine implements QueryEngine {
  readonly name = "athena" as const;
  /** Seed for queries over the features: includes the generations they read, so reuse is exact. */
  private querySeed: string;
  /** The run each shared relation was written to for the prepared window. */
  private readonly sharedRuns = new Map<string, string>();

  constructor(private readonly options: AthenaEngineOptions) {
    this.querySeed = options.runSeed;
  }

  async prepare(window: AuditWindow): Promise<PreparedWindow> {
    const ensured = await this.options.compactor.ensure(window, {
      seed: this.options.runSeed,
      force: this.options.recompact === true,
    });
    this.querySeed = `${this.options.runSeed}|${ensured.days.map((d) => `${d.day}:${d.generation}`).join(",")}`;
    const probeQuery = sqlQuery("prepare_probe");
    const parameters = positionalValues(probeQuery, windowParams(window)).map(athenaLiteral);
    const execution = await this.options.runner.execute(() => ({
      label: probeQuery.name,
      sql: probeQuery.text,
      parameters,
      tokenSeed: `${this.querySeed}|prepare_probe|${parameters.join("\u0000")}`,
    }));
    const rows = await this.options.runner.rows(execution);
    const probe = rows[0] ?? {};
    const sharedStats = await this.buildSharedRelations(window);
    return {
      stats: [
        ...ensured.stats,
        statsOf(execution, probeQuery.name, probeQuery.sha256, Number(probe.feature_rows ?? 0)),
        ...sharedStats,
      ],
      // Athena's JSON reader has no reject channel: malformed lines become all-NULL rows, which the
      // feature stage counts as rejects (missing_request_id and friends).
      readerRejects: {},
      accountsAvailable: Number(probe.accounts_present ?? 0) > 0,
      filesRead: ensured.days.reduce((n, d) => n + d.sourceFiles, 0),
      // Athena's SerDes decide what happens to a bad file or row; that is the Athena issue's part.
      unreadableFiles: [],
      skippedFiles: [],
      accounts: null,
    };
  }

  /**
   * Writes each shared relation for the window once, so the queries that use it read its small
   * result instead of each scanning the features again.
   */
  private async buildSharedRelations(window: AuditWindow): Promise<QueryStats[]> {
    this.sharedRuns.clear();
    const stats: QueryStats[] = [];
    for (const relation of [...sqlCatalog().values()].filter((q) => q.relation !== undefined)) {
      const name = relation.relation as string;
      const parameters = positionalValues(relation, windowParams(window)).map(athenaLiteral);
      const tokenSeed = `${this.querySeed}|shared:${name}|${relation.sha256}|${parameters.join("\u0000")}`;
      let run = "";
      const execution = await this.options.runner.execute(
        (attempt) => {
          run = sharedRun(tokenSeed, attempt);
          return {
            label: name,
            sql: sharedUnloadSql(name, relation.text, sharedLocation(this.options.sharedLocation, name, run)),
            parameters,
            tokenSeed,
          };
        },
        // Files left by an attempt Athena no longer knows: the next attempt writes a new run.
        { retryOn: (failure) => /HIVE_PATH_ALREADY_EXISTS|already exists/i.test(failure.message) },
      );
      this.sharedRuns.set(name, run);
      // UNLOAD reports no row count; the users of the relation count what they read.
      stats.push(statsOf(execution, relation.name, relation.sha256, 0));
    }
    return stats;
  }

  async run<R extends Row>(name: string, params: QueryParams): Promise<QueryResult<R>> {
    const query = withSharedRelations(sqlQuery(name), (relation) => {
      const run = this.sharedRuns.get(relation);
      if (run === undefined) {
        throw new Error(`query ${name} uses shared relation ${relation}, which prepare() has not built`);
      }
      return { text: sharedReaderSql(relation, run), params: [] };
    });
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
