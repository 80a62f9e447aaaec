import { statSync } from "node:fs";

/**
 * The physical layout of a relation's files as the cost model needs it: per row group, its
 * partition, its row count, the min/max of its timestamp column, and the compressed bytes of each
 * column chunk. Read from Parquet footers only (DuckDB `parquet_metadata()`), never from the data.
 */
export interface RowGroupLayout {
  readonly file: string;
  /** The Hive partition value (`dt=YYYY-MM-DD` in the path), or null for an unpartitioned relation. */
  readonly partition: string | null;
  readonly rows: number;
  /** Min and max of the timestamp column (ISO text, UTC) when the footer has statistics. */
  readonly tsMin: string | null;
  readonly tsMax: string | null;
  /** Compressed bytes per top-level column. A non-columnar file has the single key `*`. */
  readonly columnBytes: Readonly<Record<string, number>>;
}

export interface RelationLayout {
  readonly relation: string;
  /** Whether a query can read only some columns (Parquet) or always reads whole files (JSON). */
  readonly columnar: boolean;
  readonly rowGroups: readonly RowGroupLayout[];
}

/** Runs one SQL statement and returns plain rows; the DuckDB engine's `rows` fits. */
export type SqlRows = (sql: string) => Promise<Record<string, unknown>[]>;

const PARTITION = /(?:^|[/\\])dt=(\d{4}-\d{2}-\d{2})(?:[/\\]|$)/;

export function partitionOf(path: string): string | null {
  return PARTITION.exec(path)?.[1] ?? null;
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** DuckDB prints timestamp statistics as `YYYY-MM-DD HH:MM:SS[.fff]`; make it ISO 8601 UTC. */
function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const text = String(value).trim().replace(" ", "T");
  const date = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Reads the footers of Parquet files: one row per file, row group and column chunk, aggregated
 * here into row groups (a few thousand rows of metadata even for billions of requests).
 */
export async function parquetLayout(
  rows: SqlRows,
  relation: string,
  files: readonly string[],
  tsColumn = "ts",
): Promise<RelationLayout> {
  if (files.length === 0) return { relation, columnar: true, rowGroups: [] };
  const list = `[${files.map(sqlString).join(", ")}]`;
  const meta = await rows(
    `SELECT file_name, row_group_id, row_group_num_rows, path_in_schema, total_compressed_size,
       stats_min, stats_max, stats_min_value, stats_max_value
     FROM parquet_metadata(${list})`,
  );
  const groups = new Map<string, { rg: RowGroupLayout; bytes: Record<string, number> }>();
  for (const m of meta) {
    const file = String(m.file_name);
    const key = `${file}\u0000${String(m.row_group_id)}`;
    let group = groups.get(key);
    if (!group) {
      const bytes: Record<string, number> = {};
      group = {
        bytes,
        rg: {
          file,
          partition: partitionOf(file),
          rows: Number(m.row_group_num_rows),
          tsMin: null,
          tsMax: null,
          columnBytes: bytes,
        },
      };
      groups.set(key, group);
    }
    // Nested columns report "parent, child": bill them to the top-level column.
    const column = String(m.path_in_schema).split(",")[0]?.trim() ?? "";
    group.bytes[column] = (group.bytes[column] ?? 0) + Number(m.total_compressed_size);
    if (column === tsColumn) {
      group.rg = {
        ...group.rg,
        tsMin: isoOrNull(m.stats_min_value ?? m.stats_min),
        tsMax: isoOrNull(m.stats_max_value ?? m.stats_max),
      };
    }
  }
  return { relation, columnar: true, rowGroups: [...groups.values()].map((g) => g.rg) };
}

/** JSON Lines (plain or gzip): Athena reads whole files, so each file is one unit of its size. */
export function wholeFileLayout(relation: string, files: readonly string[]): RelationLayout {
  return {
    relation,
    columnar: false,
    rowGroups: files.map((file) => ({
      file,
      partition: partitionOf(file),
      rows: 0,
      tsMin: null,
      tsMax: null,
      columnBytes: { "*": statSync(file).size },
    })),
  };
}
