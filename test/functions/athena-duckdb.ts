import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import {
  AthenaClient,
  type Row as AthenaRow,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
} from "@aws-sdk/client-athena";
import {
  AlreadyExistsException,
  BatchGetPartitionCommand,
  CreatePartitionCommand,
  GetTableCommand,
  GlueClient,
  type Partition,
  UpdatePartitionCommand,
} from "@aws-sdk/client-glue";
import { mockClient } from "aws-sdk-client-mock";
import { FEATURE_COLUMNS, type FeatureColumn } from "../../lib/engine/athena/features.ts";
import {
  SHARED_PARTITION_KEY,
  SHARED_PREFIX,
  SHARED_RELATION_COLUMNS,
  sharedTable,
} from "../../lib/engine/athena/shared.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import type { AuditWindow, CellValue, Row } from "../../lib/engine/port.ts";

/**
 * A stand-in for Athena and the Glue catalogue that runs the very SQL the Athena adapter submits
 * (positional `?` replaced by its ExecutionParameters literals) on DuckDB over fixture log files,
 * and answers with Athena-shaped responses: QueryExecution states and statistics, ResultSet pages
 * of at most 1000 rows with ColumnInfo, the header row on the first page only.
 *
 * UNLOAD writes a "generation" (a DuckDB table); Glue partitions point at generations, and
 * `request_features` is rebuilt from the committed partitions before each query, as Athena would
 * read them. Each `shared_<relation>` table is the union of the runs UNLOAD wrote under its
 * projected location, with the run as its partition column. ClientRequestToken is honoured: the same token returns the same execution.
 */
export const BYTES_PER_QUERY = 1_000_000;

interface Execution {
  readonly id: string;
  readonly sql: string;
  readonly columns: ColumnInfo[];
  readonly rows: AthenaRow[];
  readonly unload: boolean;
  readonly failed: boolean;
}

const DUCK_TO_ATHENA: Record<string, string> = {
  VARCHAR: "varchar",
  BIGINT: "bigint",
  HUGEINT: "bigint",
  INTEGER: "integer",
  SMALLINT: "smallint",
  DOUBLE: "double",
  FLOAT: "real",
  BOOLEAN: "boolean",
  TIMESTAMP: "timestamp",
  DATE: "date",
};

function athenaType(duckType: string): string {
  if (duckType.endsWith("[]")) return "array";
  if (duckType.startsWith("DECIMAL")) return "decimal";
  return DUCK_TO_ATHENA[duckType] ?? "varchar";
}

/** A JS value from DuckDB as Athena would print it. */
function athenaText(value: CellValue, type: string): string | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) return `[${value.map((v) => (v === null ? "null" : String(v))).join(", ")}]`;
  if (type === "timestamp" && typeof value === "string") return value.replace("T", " ").replace("Z", "");
  return String(value);
}

/** Replaces each `?` outside literals, quoted identifiers and comments with its parameter. */
export function bindParameters(sql: string, parameters: readonly string[]): string {
  let out = "";
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === "?") {
      const value = parameters[next++];
      if (value === undefined)
        throw new Error(`query has more placeholders than the ${parameters.length} parameters`);
      out += value;
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  if (next !== parameters.length) throw new Error(`query used ${next} of ${parameters.length} parameters`);
  // Trino spells an empty typed array differently from DuckDB.
  return out.replaceAll("CAST(ARRAY[] AS ARRAY(VARCHAR))", "CAST([] AS VARCHAR[])");
}

export class DuckAthena {
  readonly athena = mockClient(AthenaClient);
  readonly glue = mockClient(GlueClient);
  readonly executions = new Map<string, Execution>();
  readonly partitions = new Map<string, Partition>();
  /** Every SQL text submitted, in order (retries and reused tokens included). */
  readonly submitted: StartQueryExecutionInput[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly generations = new Map<string, string>();
  private failNext: ((sql: string) => boolean) | null = null;
  private sequence = 0;

  private constructor(
    readonly duck: DuckDbEngine,
    readonly logsDir: string,
  ) {}

  /** Opens DuckDB over the fixture logs; `span` must cover every day a test audits. */
  static async open(logsDir: string, span: AuditWindow): Promise<DuckAthena> {
    const duck = await DuckDbEngine.open({ logsDir, threads: 2, keepRequests: true });
    // Loads `requests`, `accounts` and the Trino-compatibility macros; the local feature table it
    // also builds is replaced by the view over committed generations.
    await duck.prepare(span);
    await duck.rows("DROP VIEW request_features");
    const harness = new DuckAthena(duck, logsDir);
    await harness.refreshFeatures();
    harness.install();
    return harness;
  }

  /** The next query whose SQL matches fails with this Athena error. */
  failWhen(match: (sql: string) => boolean): void {
    this.failNext = match;
  }

  /** Keys of the fixture log files, as ListObjectsV2 on `<prefix>requests/dt=<day>/` returns them. */
  logKeys(prefix: string): string[] {
    const root = join(this.logsDir, "requests");
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => `${prefix}requests/${relative(root, join(e.parentPath, e.name))}`);
  }

  async close(): Promise<void> {
    this.athena.restore();
    this.glue.restore();
    await this.duck.close();
  }

  private install(): void {
    this.athena
      .on(StartQueryExecutionCommand)
      .callsFake((input: StartQueryExecutionInput) => this.start(input));
    this.athena.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId }) => {
      const execution = this.executions.get(QueryExecutionId);
      if (!execution)
        throw Object.assign(new Error(`no execution ${QueryExecutionId}`), {
          name: "InvalidRequestException",
        });
      if (execution.failed) {
        return { QueryExecution: { QueryExecutionId, Status: failedStatus(execution.sql) } };
      }
      return {
        QueryExecution: {
          QueryExecutionId,
          Status: { State: "SUCCEEDED" },
          Statistics: { DataScannedInBytes: BYTES_PER_QUERY, EngineExecutionTimeInMillis: 42 },
        },
      };
    });
    this.athena.on(GetQueryResultsCommand).callsFake(({ QueryExecutionId, NextToken, MaxResults }) => {
      const execution = this.executions.get(QueryExecutionId) as Execution;
      const size = MaxResults ?? 1000;
      const header: AthenaRow = { Data: execution.columns.map((c) => ({ VarCharValue: c.Name })) };
      const all = [header, ...execution.rows];
      const from = NextToken ? Number(NextToken) : 0;
      const page = all.slice(from, from + size);
      const more = from + size < all.length;
      return {
        ResultSet: { ResultSetMetadata: { ColumnInfo: execution.columns }, Rows: page },
        NextToken: more ? String(from + size) : undefined,
      };
    });

    const descriptor = {
      Columns: FEATURE_COLUMNS.map((c) => ({ Name: c.name, Type: c.type })),
      Location: "s3://features-bucket/features/",
      SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
    };
    this.glue
      .on(GetTableCommand)
      .resolves({ Table: { Name: "request_features", StorageDescriptor: descriptor } });
    this.glue.on(BatchGetPartitionCommand).callsFake(({ PartitionsToGet }) => ({
      Partitions: (PartitionsToGet ?? [])
        .map((p: { Values: string[] }) => this.partitions.get(p.Values[0] as string))
        .filter((p: Partition | undefined) => p !== undefined),
    }));
    this.glue.on(CreatePartitionCommand).callsFake(({ PartitionInput }) => {
      const day = PartitionInput.Values[0] as string;
      if (this.partitions.has(day))
        throw new AlreadyExistsException({ message: "partition exists", $metadata: {} });
      this.partitions.set(day, PartitionInput);
      return {};
    });
    this.glue.on(UpdatePartitionCommand).callsFake(({ PartitionValueList, PartitionInput }) => {
      this.partitions.set(PartitionValueList[0] as string, PartitionInput);
      return {};
    });
  }

  private async start(input: StartQueryExecutionInput): Promise<{ QueryExecutionId: string }> {
    this.submitted.push(input);
    const token = input.ClientRequestToken as string;
    const known = this.tokens.get(token);
    if (known) return { QueryExecutionId: known };
    const id = `q-${++this.sequence}`;
    this.tokens.set(token, id);
    const sql = bindParameters(input.QueryString as string, input.ExecutionParameters ?? []);
    if (this.failNext?.(sql)) {
      this.failNext = null;
      this.executions.set(id, { id, sql, columns: [], rows: [], unload: false, failed: true });
      return { QueryExecutionId: id };
    }
    const unload = /^UNLOAD \(\n([\s\S]*)\n\)\nTO '([^']+)'/.exec(sql);
    if (unload) {
      const table = `generation_${this.sequence}`;
      await this.duck.rows(`CREATE TEMP TABLE ${table} AS ${unload[1]}`);
      this.generations.set(unload[2] as string, table);
      this.executions.set(id, { id, sql, columns: [], rows: [], unload: true, failed: false });
      return { QueryExecutionId: id };
    }
    await this.refreshFeatures();
    const described = await this.duck.rows(`DESCRIBE ${sql}`);
    const columns: ColumnInfo[] = described.map((d) => ({
      Name: String(d.column_name),
      Label: String(d.column_name),
      Type: athenaType(String(d.column_type)),
    }));
    const rows = (await this.duck.rows(sql)).map((row: Row) => ({
      Data: columns.map((c) => {
        const text = athenaText(row[c.Name as string] ?? null, c.Type as string);
        return text === undefined ? {} : { VarCharValue: text };
      }),
    }));
    this.executions.set(id, { id, sql, columns, rows, unload: false, failed: false });
    return { QueryExecutionId: id };
  }

  /**
   * `request_features` as Athena sees it: the generation each committed partition points at; and
   * each shared relation's table: every run written under its projected location.
   */
  async refreshFeatures(): Promise<void> {
    const names = FEATURE_COLUMNS.map((c) => c.name).join(", ");
    const parts = [...this.partitions.entries()].map(([day, p]) => {
      const table = this.generations.get(p.StorageDescriptor?.Location as string);
      if (!table)
        throw new Error(`partition ${day} points at ${p.StorageDescriptor?.Location}, which no UNLOAD wrote`);
      return `SELECT ${names}, '${day}' AS dt FROM ${table}`;
    });
    await this.duck.rows(
      `CREATE OR REPLACE TEMP VIEW request_features AS ${[emptySelect(FEATURE_COLUMNS, "dt"), ...parts].join(" UNION ALL ")}`,
    );
    for (const [relation, columns] of Object.entries(SHARED_RELATION_COLUMNS)) {
      const base = `s3://features-bucket/${SHARED_PREFIX}${relation}/${SHARED_PARTITION_KEY}=`;
      const runs = [...this.generations.entries()]
        .filter(([location]) => location.startsWith(base))
        .map(([location, table]) => {
          const run = location.slice(base.length).replace(/\/$/, "");
          return `SELECT ${columns.map((c) => c.name).join(", ")}, '${run}' AS ${SHARED_PARTITION_KEY} FROM ${table}`;
        });
      await this.duck.rows(
        `CREATE OR REPLACE TEMP VIEW ${sharedTable(relation)} AS ${[emptySelect(columns, SHARED_PARTITION_KEY), ...runs].join(" UNION ALL ")}`,
      );
    }
  }
}

/** A typed, empty relation with the given columns and a string partition column. */
function emptySelect(columns: readonly FeatureColumn[], partition: string): string {
  return `SELECT ${columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${c.name}`).join(", ")}, CAST(NULL AS VARCHAR) AS ${partition} WHERE false`;
}

function duckType(glueType: string): string {
  return (
    { string: "VARCHAR", timestamp: "TIMESTAMP", bigint: "BIGINT", double: "DOUBLE", boolean: "BOOLEAN" }[
      glueType
    ] ?? "VARCHAR"
  );
}

function failedStatus(sql: string) {
  return {
    State: "FAILED" as const,
    StateChangeReason: "injected failure",
    AthenaError: {
      ErrorCategory: 2,
      ErrorType: 1006,
      Retryable: false,
      ErrorMessage: `COLUMN_NOT_FOUND: injected failure in ${sql.slice(0, 40).replace(/\s+/g, " ")}`,
    },
  };
}
