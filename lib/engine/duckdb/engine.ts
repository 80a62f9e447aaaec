import { createReadStream, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  TIMESTAMP,
  VARCHAR,
} from "@duckdb/node-api";
import { ACCOUNT_FIELDS, type FieldSpec, REQUEST_FIELDS } from "../../schema/log-schema.ts";
import { positionalValues, SQL_DIR, type SqlQuery, sharedRelation, sqlQuery } from "../../sql/catalog.ts";
import { canonicalOrder } from "../canonical.ts";
import type {
  AuditWindow,
  CellValue,
  ParamValue,
  PreparedWindow,
  QueryEngine,
  QueryParams,
  QueryResult,
  QueryStats,
  Row,
} from "../port.ts";
import { DUPLICATE_REJECT_REASON, FEATURE_STORE_ORDER, windowParams } from "../port.ts";
import {
  columnNames,
  fillTemplate,
  parquetColumns,
  rawStructure,
  typeChecks,
  typedColumnsFromJson,
  typedNullColumns,
} from "./schema-fragments.ts";
import {
  discoverSources,
  type FileIssue,
  type FileSize,
  fileSizes,
  InputError,
  type LogFormat,
  type LogSources,
  requestFilesByDay,
} from "./sources.ts";

export interface DuckDbOptions {
  readonly logsDir: string;
  /** Worker threads; defaults to the machine's cores. */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. "4GB"; beyond it DuckDB spills to tempDirectory. */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
  /**
   * Most requests the feature stage builds at once, uncompressed (about 490 B each in memory). A
   * larger window is built in chunks of whole days, each sorted and compressed (to about 80 B a
   * request) as soon as it is built; a window within the budget stays uncompressed and unsorted,
   * as compressing costs about 1.4 s of CPU per million requests.
   */
  readonly featureChunkRows?: number;
  /**
   * Most JSON Lines text (decompressed bytes) read at once. A larger window is read, and its
   * features built, in chunks of whole days, so the reader holds one chunk's records instead of
   * the window's; while it parses a chunk it holds about twice the chunk's text.
   */
  readonly jsonlChunkBytes?: number;
  /**
   * Keep the `requests` relation after the feature stage, for SQL run over the raw records later
   * (a stand-in for Athena's raw table in tests, the feature-stage profile). JSON Lines are then
   * read in one chunk, whatever `jsonlChunkBytes` says, and stay in memory.
   */
  readonly keepRequests?: boolean;
  /**
   * Called as the feature stage builds its chunks of days: with 0 before the first and after each
   * chunk with the days built so far, out of the window's days with data (for progress output).
   */
  readonly onFeatureDays?: (built: number, days: number) => void;
}

/** About 2 GB of uncompressed features: a 16M-request week is built in 4 to 7 chunks. */
export const DEFAULT_FEATURE_CHUNK_ROWS = 4_000_000;

/** About 1.1M requests of generated traffic (about 870 B of JSON each). */
export const DEFAULT_JSONL_CHUNK_BYTES = 1_000_000_000;

export interface DayChunk {
  readonly first: string;
  readonly last: string;
}

/**
 * Consecutive days grouped so that each group's size (requests, or bytes of text) is at most
 * `budget`; a day larger than that is a group of its own (the feature stage cannot split a day:
 * duplicates are found per day).
 */
export function dayChunks(days: readonly { day: string; size: number }[], budget: number): DayChunk[] {
  const chunks: { first: string; last: string; size: number }[] = [];
  for (const { day, size } of days) {
    const open = chunks.at(-1);
    if (open && open.size + size <= budget) {
      open.last = day;
      open.size += size;
    } else chunks.push({ first: day, last: day, size });
  }
  return chunks.map(({ first, last }) => ({ first, last }));
}

const LOCAL_SQL_DIR = join(SQL_DIR, "local");

function localSql(file: string): string {
  return readFileSync(join(LOCAL_SQL_DIR, file), "utf8");
}

interface RelationSpec {
  readonly relation: "requests" | "accounts";
  readonly fields: readonly FieldSpec[];
  readonly partitioned: boolean;
}

const REQUESTS: RelationSpec = { relation: "requests", fields: REQUEST_FIELDS, partitioned: true };
const ACCOUNTS: RelationSpec = { relation: "accounts", fields: ACCOUNT_FIELDS, partitioned: false };

/** The template values naming a relation and its partition column. */
function relationVars(spec: RelationSpec): Record<string, string> {
  const partition = spec.partitioned
    ? {
        hive: "true, hive_types = {'dt': 'VARCHAR'}",
        partition_column: ", dt",
        partition_select: "dt, ",
        partition_null: ", CAST(NULL AS VARCHAR) AS dt",
      }
    : { hive: "false", partition_column: "", partition_select: "", partition_null: "" };
  return { relation: spec.relation, ...partition };
}

/** DuckDB adapter of the QueryEngine port: the local, embedded engine over files on disk. */
export class DuckDbEngine implements QueryEngine {
  readonly name = "duckdb" as const;
  private executions = 0;
  /** Files of the prepared window that could not be read (or only in part), with the reason. */
  private unreadable: { file: string; reason: string }[] = [];
  /** Each shared relation's table as last built: for which parameter values, and when it is ready. */
  private readonly sharedRelations = new Map<string, { values: string; built: Promise<void> }>();
  /** The prepared window's parameters and request files by day, for the quarantine's re-read. */
  private prepared: { params: QueryParams; requestDays: { day: string; files: string[] }[] } | null = null;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly sources: LogSources,
    private readonly featureChunkRows: number,
    private readonly jsonlChunkBytes: number,
    private readonly keepRequests: boolean,
    private readonly onFeatureDays: (built: number, days: number) => void,
  ) {}

  static async open(options: DuckDbOptions): Promise<DuckDbEngine> {
    const sources = discoverSources(options.logsDir);
    const config: Record<string, string> = {
      threads: String(options.threads ?? availableParallelism()),
      preserve_insertion_order: "false",
    };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    const instance = await DuckDBInstance.create(":memory:", config);
    const connection = await instance.connect();
    // The bundled ICU extension gives the session the process's zone (TZ), and the JSON Lines
    // reader's TIMESTAMPTZ-to-TIMESTAMP cast happens in that zone: under TZ=Asia/Tokyo every
    // request moved nine hours. Every timestamp in the schema is UTC, so the session is too (a SET:
    // the instance's config is applied before ICU loads and refuses the setting).
    await connection.run("SET GLOBAL TimeZone = 'UTC'");
    await connection.run(localSql("trino_compat.sql"));
    return new DuckDbEngine(
      instance,
      connection,
      sources,
      options.featureChunkRows ?? DEFAULT_FEATURE_CHUNK_ROWS,
      options.jsonlChunkBytes ?? DEFAULT_JSONL_CHUNK_BYTES,
      options.keepRequests ?? false,
      options.onFeatureDays ?? (() => {}),
    );
  }

  async prepare(window: AuditWindow): Promise<PreparedWindow> {
    const params = windowParams(window);
    const dtStart = params.dt_start as string;
    const dtEnd = params.dt_end as string;
    const inWindow = (issue: FileIssue) => issue.day === null || (issue.day >= dtStart && issue.day <= dtEnd);
    this.unreadable = this.sources.unreadable.filter(inWindow).map(({ file, reason }) => ({ file, reason }));
    const skipped = this.sources.skipped.filter(inWindow).map(({ file, reason }) => ({ file, reason }));
    const sizes = await fileSizes([
      ...requestFilesByDay(this.sources, dtStart, dtEnd).flatMap((d) => d.files),
      ...this.sources.accounts.files,
    ]);
    // Files the reader would refuse outright are set aside before the read; one of them would
    // otherwise fail the whole audit.
    const readable = (file: string) => {
      const size = sizes.get(file);
      if (size?.unreadable)
        this.unreadable.push({ file: relative(this.sources.root, file), reason: size.unreadable });
      else if (size?.truncated) {
        // The lines before the cut are read and audited; the file is named all the same.
        this.unreadable.push({ file: relative(this.sources.root, file), reason: "truncated_gzip" });
      }
      return !size?.unreadable;
    };
    const requestDays = requestFilesByDay(this.sources, dtStart, dtEnd).map((d) => ({
      day: d.day,
      files: d.files.filter(readable),
    }));
    const accountFiles = this.sources.accounts.files.filter(readable);
    for (const day of this.sources.emptyPartitions.filter((d) => d >= dtStart && d <= dtEnd)) {
      skipped.push({ file: `requests/dt=${day}/`, reason: "empty_partition" });
    }

    for (const spec of [REQUESTS, ACCOUNTS]) {
      await this.connection.run(fillTemplate(localSql("empty_rejects.sql"), relationVars(spec)));
    }
    // The accounts table is read in file and line order (it is small), so that "first" in the
    // duplicate rule is the order of the files, not of DuckDB's threads.
    await this.connection.run("SET preserve_insertion_order = true");
    try {
      await this.loadRelation(ACCOUNTS, this.sources.accounts.format, accountFiles);
      await this.runScript(localSql("accounts_first_wins.sql"), []);
    } finally {
      await this.connection.run("SET preserve_insertion_order = false");
    }
    const accounts = await this.accountQuality();

    const features = sqlQuery("features");
    const started = performance.now();
    this.sharedRelations.clear();
    this.prepared = { params, requestDays };
    await this.buildFeatures(features, params, requestDays, sizes);
    const readerRejects: Record<string, number> = {};
    for (const row of await this.rows("SELECT reason, count(*) AS n FROM requests_rejects GROUP BY reason")) {
      const reason = String(row.reason).replace(/:.*$/, "");
      readerRejects[reason] = (readerRejects[reason] ?? 0) + Number(row.n);
    }
    const rows = Number((await this.rows("SELECT count(*) AS n FROM request_features"))[0]?.n ?? 0);
    const unreadable = new Set(
      this.unreadable.filter((u) => u.reason !== "truncated_gzip").map((u) => u.file),
    );
    const filesRead = requestDays
      .flatMap((d) => d.files)
      .filter((f) => !unreadable.has(relative(this.sources.root, f))).length;
    const windowFiles = filesRead + this.unreadable.filter((u) => u.file.startsWith("requests/")).length;
    if (filesRead === 0 && windowFiles > 0) {
      throw new InputError(
        `none of the ${windowFiles} request files of the window could be read: ${this.unreadable
          .slice(0, 5)
          .map((u) => `${u.file} (${u.reason})`)
          .join(", ")}${this.unreadable.length > 5 ? ", ..." : ""}`,
      );
    }
    const stats: QueryStats = {
      query: features.name,
      sqlSha256: features.sha256,
      executionId: this.nextExecutionId(),
      bytesScanned: null,
      elapsedMs: performance.now() - started,
      rows,
    };
    return {
      stats: [stats],
      readerRejects,
      accountsAvailable: accounts.accepted > 0,
      filesRead,
      unreadableFiles: sortIssues(this.unreadable),
      skippedFiles: sortIssues(skipped),
      accounts,
    };
  }

  /**
   * Counts the accounts table: rows read, accepted, and set aside by reason. Of the rows that share
   * an account_id, the first (in file order, then line order) is kept and the others counted as
   * `duplicate_account_id`; a row without an account_id is `missing_account_id`.
   */
  private async accountQuality(): Promise<{
    read: number;
    accepted: number;
    rejected: Record<string, number>;
  }> {
    const rejected: Record<string, number> = {};
    const add = (reason: string, n: number) => {
      if (n > 0) rejected[reason] = (rejected[reason] ?? 0) + n;
    };
    for (const row of await this.rows("SELECT reason, count(*) AS n FROM accounts_rejects GROUP BY reason")) {
      add(String(row.reason).replace(/:.*$/, ""), Number(row.n));
    }
    const counts = (await this.rows(localSql("account_counts.sql")))[0] ?? {};
    add("missing_account_id", Number(counts.missing ?? 0));
    add("duplicate_account_id", Number(counts.duplicates ?? 0));
    const accepted = Number(counts.accepted ?? 0);
    return { read: accepted + Object.values(rejected).reduce((n, v) => n + v, 0), accepted, rejected };
  }

  /**
   * Builds the compact features of the window in chunks of whole days. JSON Lines are parsed into
   * a table, so they are read a chunk at a time and dropped once its features are built; Parquet
   * is read in place, through a view over every file.
   */
  private async buildFeatures(
    features: SqlQuery,
    params: QueryParams,
    requestDays: readonly { day: string; files: string[] }[],
    sizes: ReadonlyMap<string, FileSize>,
  ): Promise<void> {
    const streamed = this.sources.requestFormat === "jsonl" && requestDays.some((d) => d.files.length > 0);
    let chunks: DayChunk[];
    if (streamed) {
      const dayBytes = requestDays.map(({ day, files }) => ({
        day,
        size: files.reduce((sum, file) => sum + (sizes.get(file)?.bytes ?? 0), 0),
      }));
      chunks = dayChunks(dayBytes, this.keepRequests ? Number.POSITIVE_INFINITY : this.jsonlChunkBytes);
    } else {
      const dayRange = [params.dt_start as string, params.dt_end as string];
      await this.loadRelation(
        REQUESTS,
        this.sources.requestFormat,
        requestDays.flatMap((d) => d.files),
      );
      const dayRows = (await this.rows(localSql("requests_per_day.sql"), dayRange)).map((r) => ({
        day: String(r.dt),
        size: Number(r.n),
      }));
      chunks = dayChunks(dayRows, this.featureChunkRows);
      await this.attachFeatureStore(features, params);
    }
    // A window that needs chunks is too large to keep uncompressed: each chunk is sorted and
    // compressed as soon as it is built, leaving the detectors' aggregates room not to spill.
    const compressed = chunks.length > 1;
    const materialize = fillTemplate(localSql("materialize_features.sql"), {
      features: features.text,
      order: compressed ? `ORDER BY ${FEATURE_STORE_ORDER.join(", ")}` : "",
    });
    const markDuplicates = fillTemplate(localSql("mark_duplicates.sql"), {
      reject_reason: DUPLICATE_REJECT_REASON,
    });
    let built = 0;
    this.onFeatureDays(built, requestDays.length);
    for (const [index, chunk] of chunks.entries()) {
      const chunkDays = requestDays.filter((d) => d.day >= chunk.first && d.day <= chunk.last);
      if (streamed) {
        await this.loadRelation(
          REQUESTS,
          "jsonl",
          chunkDays.flatMap((d) => d.files),
        );
        if (index === 0) await this.attachFeatureStore(features, params);
      }
      await this.runScript(
        materialize,
        positionalValues(features, { ...params, dt_start: chunk.first, dt_end: chunk.last }),
      );
      await this.runScript(markDuplicates, [chunk.first, chunk.last]);
      if (compressed) await this.connection.run("CHECKPOINT feature_store");
      built += chunkDays.length;
      this.onFeatureDays(built, requestDays.length);
    }
    if (streamed && !this.keepRequests) {
      await this.connection.run(fillTemplate(localSql("drop_rows.sql"), relationVars(REQUESTS)));
    }
  }

  /** The (compressed) database the features are built into; its table's columns are the query's. */
  private attachFeatureStore(features: SqlQuery, params: QueryParams): Promise<void> {
    return this.runScript(
      fillTemplate(localSql("attach_feature_store.sql"), { features: features.text }),
      positionalValues(features, params),
    );
  }

  async run<R extends Row>(name: string, params: QueryParams): Promise<QueryResult<R>> {
    const query = sqlQuery(name);
    const started = performance.now();
    for (const relation of query.uses) await this.materializeShared(relation, params);
    const rows = canonicalOrder((await this.rows(query.text, positionalValues(query, params))) as R[]);
    return {
      rows,
      stats: {
        query: query.name,
        sqlSha256: query.sha256,
        executionId: this.nextExecutionId(),
        bytesScanned: null,
        elapsedMs: performance.now() - started,
        rows: rows.length,
      },
    };
  }

  /**
   * Builds a shared relation (a `-- relation:` query) as a table the first time a query needs it,
   * and again only when its parameters change: an audit has one window, so its detectors share one
   * build and read the small aggregate instead of the features.
   */
  private materializeShared(relation: string, params: QueryParams): Promise<void> {
    const query = sharedRelation(relation);
    const values = positionalValues(query, params);
    const key = JSON.stringify(values);
    const current = this.sharedRelations.get(relation);
    if (current?.values === key) return current.built;
    const built = this.runScript(
      fillTemplate(localSql("materialize_relation.sql"), { relation, query: query.text }),
      values,
    );
    this.sharedRelations.set(relation, { values: key, built });
    return built;
  }

  /**
   * Writes every record set aside (reader and feature-stage rejects) as JSON Lines, each with its
   * reason, file, line number and original text. The audit keeps neither the raw text of accepted
   * lines nor line numbers (both would cost the feature stage on every run), so the files that hold
   * rejects are read again here: every file of a day with feature-stage rejects (duplicates are
   * ranked per day) and every file with reader rejects. Their lines go to a DuckDB table, never
   * all into this process's memory, and are judged again by the same SQL; the verdicts must match
   * the audit's counts, or the quarantine would disagree with data_quality.
   */
  async quarantine(path: string): Promise<number> {
    const prepared = this.prepared;
    if (prepared === null) throw new Error("quarantine() needs a prepared window");
    if (this.sources.requestFormat !== "jsonl") return this.quarantineParquet(path);
    const expected = await this.rejectCounts(
      "SELECT reason, count(*) AS n FROM requests_rejects GROUP BY reason UNION ALL SELECT reject_reason AS reason, count(*) AS n FROM request_features WHERE reject_reason IS NOT NULL GROUP BY reject_reason",
    );
    const rejectedDays = new Set(
      (await this.rows("SELECT DISTINCT dt FROM request_features WHERE reject_reason IS NOT NULL")).map((r) =>
        String(r.dt),
      ),
    );
    const readerFiles = new Set(
      (await this.rows("SELECT DISTINCT source_file FROM requests_rejects")).map((r) =>
        String(r.source_file),
      ),
    );
    const files = prepared.requestDays.flatMap(({ day, files }) =>
      files.filter((file) => rejectedDays.has(day) || readerFiles.has(file)).map((file) => ({ day, file })),
    );
    await this.connection.run(
      "CREATE OR REPLACE TABLE quarantine_lines (source_file VARCHAR, dt VARCHAR, line_number BIGINT, line VARCHAR, scan_reject VARCHAR)",
    );
    const appender = await this.connection.createAppender("quarantine_lines");
    try {
      for (const { day, file } of files) {
        const name = relative(this.sources.root, file);
        for await (const { number, text, reject } of numberedLines(file)) {
          appender.appendVarchar(name);
          appender.appendVarchar(day);
          appender.appendBigInt(BigInt(number));
          appender.appendVarchar(text);
          if (reject === null) appender.appendNull();
          else appender.appendVarchar(reject);
          appender.endRow();
        }
      }
    } finally {
      appender.closeSync();
    }
    await this.connection.run(
      fillTemplate(localSql("quarantine_json_lines.sql"), {
        raw_structure: rawStructure(REQUEST_FIELDS),
        type_checks: typeChecks(REQUEST_FIELDS),
        typed_columns: typedColumnsFromJson(REQUEST_FIELDS),
        column_names: columnNames(REQUEST_FIELDS),
      }),
    );
    const features = sqlQuery("features");
    await this.runScript(
      fillTemplate(localSql("quarantine_feature_rejects.sql"), {
        reject_reason: DUPLICATE_REJECT_REASON,
        features: withLineIdentity(features.text),
      }),
      positionalValues(features, prepared.params),
    );
    const found = await this.rejectCounts(
      "SELECT reader_reject AS reason, count(*) AS n FROM quarantine_rows WHERE reader_reject IS NOT NULL GROUP BY reader_reject UNION ALL SELECT reason, count(*) AS n FROM quarantine_feature_rejects GROUP BY reason",
    );
    if (JSON.stringify(found) !== JSON.stringify(expected)) {
      throw new Error(
        `quarantine: the re-read files gave other rejects (${JSON.stringify(found)}) than the audit counted (${JSON.stringify(expected)}); were the logs changed during the audit?`,
      );
    }
    await this.connection.run(fillTemplate(localSql("quarantine.sql"), { path: path.replaceAll("'", "''") }));
    for (const table of ["quarantine_feature_rejects", "quarantine_rows"]) {
      await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    }
    await this.connection.run("DROP VIEW IF EXISTS quarantine_requests");
    await this.connection.run("DROP TABLE IF EXISTS quarantine_lines");
    return Object.values(found).reduce((n, v) => n + v, 0);
  }

  /** The Parquet quarantine: feature-stage rejects as their typed features (not yet re-read). */
  private async quarantineParquet(path: string): Promise<number> {
    await this.connection.run(
      fillTemplate(localSql("quarantine_parquet.sql"), { path: path.replaceAll("'", "''") }),
    );
    const rows = await this.rows(
      "SELECT (SELECT count(*) FROM requests_rejects) + (SELECT count(*) FROM request_features WHERE reject_reason IS NOT NULL) AS n",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Rows of (reason, n) summed by reason, in code-unit order of reason (to compare two counts). */
  private async rejectCounts(sql: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const row of await this.rows(sql)) {
      counts[String(row.reason)] = (counts[String(row.reason)] ?? 0) + Number(row.n);
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Runs ad-hoc SQL against the engine's relations (for tools and tests, not the pipeline). */
  async rows(sql: string, values: ParamValue[] = []): Promise<Row[]> {
    const bound = values.map(bindValue);
    const reader =
      bound.length === 0
        ? await this.connection.runAndReadAll(sql)
        : await this.connection.runAndReadAll(
            sql,
            bound.map((b) => b.value),
            bound.map((b) => b.type),
          );
    // Column-wise conversion allocates one object per row, where row objects converted again would
    // allocate three (the evidence of a 16M audit returns about 400k rows).
    const names = reader.columnNames();
    const columns = reader.getColumnsJS();
    return Array.from({ length: reader.currentRowCount }, (_, index) => {
      const out: Row = {};
      for (const [column, name] of names.entries()) out[name] = toCell(columns[column]?.[index]);
      return out;
    });
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async loadRelation(spec: RelationSpec, format: LogFormat | null, files: string[]): Promise<void> {
    const vars = relationVars(spec);
    if (files.length === 0 || format === null) {
      await this.connection.run(
        fillTemplate(localSql("empty_relation.sql"), {
          ...vars,
          typed_columns: typedNullColumns(spec.fields),
        }),
      );
      return;
    }
    if (format === "jsonl") {
      const script = fillTemplate(localSql("read_json_lines.sql"), {
        ...vars,
        raw_structure: rawStructure(spec.fields),
        type_checks: typeChecks(spec.fields),
        typed_columns: typedColumnsFromJson(spec.fields),
        column_names: columnNames(spec.fields),
      });
      try {
        await this.runScript(script, [files]);
      } catch (error) {
        for (const table of ["scan_errors", "scans"]) {
          await this.connection.run(`DROP TABLE IF EXISTS ${spec.relation}_${table}`);
        }
        // One read over every file is the fast path; a file that still fails it (one the checks
        // before the read could not foresee) is found by reading each file alone, set aside, and
        // the rest read again, so it costs nothing unless a file is bad.
        const readable = await this.isolateUnreadable(files, "probe_json_lines.sql", error);
        await this.loadRelation(spec, readable.length > 0 ? format : null, readable);
      }
      return;
    }
    await this.viewParquet(spec, files);
  }

  /**
   * The files of `files` that read alone with `probeFile` (a query over one file); the others are
   * named unreadable. When every file reads alone, the failure was not a file's, and is rethrown.
   */
  private async isolateUnreadable(
    files: readonly string[],
    probeFile: string,
    failure: unknown,
  ): Promise<string[]> {
    const probe = localSql(probeFile);
    const readable: string[] = [];
    for (const file of files) {
      try {
        await this.runScript(probe, [[file]]);
        readable.push(file);
      } catch (error) {
        this.unreadable.push({ file: relative(this.sources.root, file), reason: readErrorReason(error) });
      }
    }
    if (readable.length === files.length) throw failure;
    return readable;
  }

  /**
   * Parquet is read in place, through a view. Each file's column types are read first (its footer
   * only): a file whose footer DuckDB cannot read is set aside as `corrupt_parquet`, and files are
   * grouped by their column types so that each group is cast, or set aside, by its own types.
   */
  private async viewParquet(spec: RelationSpec, files: readonly string[]): Promise<void> {
    const vars = relationVars(spec);
    const groups = new Map<string, { types: Map<string, string>; files: string[] }>();
    for (const file of files) {
      let types: Map<string, string>;
      try {
        const described = await this.rows("DESCRIBE SELECT * FROM read_parquet(?)", [file]);
        types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
      } catch {
        this.unreadable.push({ file: relative(this.sources.root, file), reason: "corrupt_parquet" });
        continue;
      }
      const key = JSON.stringify(spec.fields.map((f) => types.get(f.name) ?? null));
      const group = groups.get(key) ?? { types, files: [] };
      group.files.push(file);
      groups.set(key, group);
    }
    if (groups.size === 0) {
      await this.loadRelation(spec, null, []);
      return;
    }
    const selects: string[] = [];
    for (const group of groups.values()) {
      const columns = parquetColumns(spec.fields, group.types);
      const groupVars = {
        ...vars,
        typed_columns: columns.typed,
        reject: columns.reject,
        files: sqlStringList(group.files),
      };
      selects.push(fillTemplate(localSql("view_from_parquet.sql"), groupVars));
      if (columns.reject !== "NULL")
        await this.connection.run(fillTemplate(localSql("parquet_rejects.sql"), groupVars));
    }
    await this.connection.run(
      `CREATE OR REPLACE TEMP VIEW ${spec.relation} AS\n${selects.join("\nUNION ALL\n")}`,
    );
  }

  /** Runs each statement of a script in turn, binding `values` to those that take parameters. */
  private async runScript(sql: string, values: ParamValue[]): Promise<void> {
    const bound = values.map(bindValue);
    const statements = await this.connection.extractStatements(sql);
    for (let i = 0; i < statements.count; i++) {
      const prepared = await statements.prepare(i);
      if (prepared.parameterCount > 0) {
        prepared.bind(
          bound.map((b) => b.value),
          bound.map((b) => b.type),
        );
      }
      await prepared.run();
    }
  }

  private nextExecutionId(): string {
    this.executions += 1;
    return `duckdb-${this.executions}`;
  }
}

interface Bound {
  value: DuckDBValue;
  type: DuckDBType;
}

function bindValue(value: ParamValue): Bound {
  if (isStringList(value)) return { value: listValue([...value]), type: LIST(VARCHAR) };
  if (value instanceof Date) {
    return { value: new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n), type: TIMESTAMP };
  }
  if (typeof value === "boolean") return { value, type: BOOLEAN };
  if (typeof value === "number") {
    return Number.isInteger(value) ? { value: BigInt(value), type: BIGINT } : { value, type: DOUBLE };
  }
  return { value, type: VARCHAR };
}

function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toCell);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

function isStringList(value: ParamValue): value is readonly string[] {
  return Array.isArray(value);
}

/** Why DuckDB could not read a file, from its error message (never echoed: it may quote the data). */
function readErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/permission denied/i.test(message)) return "permission_denied";
  if (/gzip/i.test(message)) return "not_gzip";
  if (/no such file|not found/i.test(message)) return "vanished";
  return "read_error";
}

/** Issues in code-unit order of file, then reason: not localeCompare, whose order depends on the locale. */
function sortIssues<T extends { file: string; reason: string }>(
  issues: readonly T[],
): { file: string; reason: string }[] {
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...issues]
    .map(({ file, reason }) => ({ file, reason }))
    .sort((a, b) => order(a.file, b.file) || order(a.reason, b.reason));
}

/**
 * features.sql with each row's file and line number beside its features, reading the quarantine's
 * re-read lines: its CTEs carry every column of the relation through (`r.*`, `s.*`, `c.*`), so only
 * the relation and the final projection change. features.sql itself stays the one Trino query
 * Athena runs; a change of its shape fails here, loudly, rather than quarantining wrong lines.
 */
export function withLineIdentity(features: string): string {
  const once = (text: string, from: string, to: string) => {
    const parts = text.split(from);
    if (parts.length !== 2) throw new Error(`features.sql: expected exactly one ${JSON.stringify(from)}`);
    return parts.join(to);
  };
  const relation = once(features, "FROM requests r\n", "FROM quarantine_requests r\n");
  return once(relation, "\nSELECT\n  f.dt,\n", "\nSELECT\n  f.source_file,\n  f.line_number,\n  f.dt,\n");
}

/** Longest line DuckDB's reader takes (max_line_size in read_json_lines.sql). */
const MAX_LINE_BYTES = 16_777_216;
/** Characters of an unreadable line DuckDB keeps in its rejects table, and so the quarantine. */
const KEPT_UNREADABLE_CHARS = 10_000;

/**
 * The non-blank lines of a JSON Lines file (gunzipped when `.gz`), numbered from 1 as an editor
 * numbers them, without their line break ("\n" or "\r\n"). A line that is not UTF-8, or longer
 * than the reader takes, comes with the reason the reader gives it. A gzip file cut short yields
 * its lines before the cut, as the reader reads them.
 */
async function* numberedLines(
  file: string,
): AsyncGenerator<{ number: number; text: string; reject: string | null }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let stream: Readable = createReadStream(file);
  if (file.endsWith(".gz")) stream = stream.pipe(createGunzip());
  let number = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const line = (bytes: Buffer) => {
    number += 1;
    const body = bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes;
    // DuckDB's trim() strips spaces only: a line of tabs is read, and rejected as malformed_json.
    if (body.every((b) => b === 0x20)) return null;
    if (body.length > MAX_LINE_BYTES) {
      return {
        number,
        text: body.subarray(0, KEPT_UNREADABLE_CHARS).toString("utf8"),
        reject: "line_too_long",
      };
    }
    try {
      return { number, text: decoder.decode(body), reject: null };
    } catch {
      return { number, text: body.toString("utf8").slice(0, KEPT_UNREADABLE_CHARS), reject: "invalid_utf8" };
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, end);
        const bytes = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        const read = line(bytes);
        if (read) yield read;
        start = end + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      }
    }
  } catch (error) {
    // A truncated gzip ends the file where the reader's text ends (the audit named it already).
    if (!file.endsWith(".gz")) throw error;
  }
  if (pendingBytes > 0) {
    const read = line(Buffer.concat(pending));
    if (read) yield read;
  }
}

/** A DuckDB list literal of strings, each quoted with embedded quotes doubled. */
function sqlStringList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}]`;
}
