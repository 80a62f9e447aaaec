import { referencedColumns } from "../lib/cost/columns.ts";
import { duckdbType, REQUEST_FIELDS } from "../lib/schema/log-schema.ts";
import { sqlQuery } from "../lib/sql/catalog.ts";
import type { BenchFormat } from "./dataset.ts";

/**
 * The floor: the cheapest scan that still reads every raw column the feature stage reads. Strings
 * are measured (`sum(length(x))`, which decodes every value), other columns counted (`count(x)`,
 * which reads their validity and values), so no column chunk can be skipped. The columns come from
 * the text of lib/sql/features.sql, matched against the schema, so the floor follows the SQL.
 */
export function featureStageColumns(): string[] {
  return referencedColumns(
    sqlQuery("features").text,
    REQUEST_FIELDS.map((f) => f.name),
  );
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function floorSql(format: BenchFormat, files: readonly string[], columns: readonly string[]): string {
  const fields = REQUEST_FIELDS.filter((f) => columns.includes(f.name));
  const measures = fields.map((f) =>
    f.type === "string"
      ? `sum(length(${f.name})) AS ${f.name}_chars`
      : `count(${f.name}) AS ${f.name}_values`,
  );
  const list = `[${files.map(sqlString).join(", ")}]`;
  const source =
    format === "parquet"
      ? `read_parquet(${list})`
      : // Timestamps stay text: the floor reads, it does not convert.
        `read_json(${list}, format = 'newline_delimited', columns = {${fields
          .map((f) => `${f.name}: '${f.type === "timestamp" ? "VARCHAR" : duckdbType(f.type)}'`)
          .join(", ")}})`;
  return `SELECT count(*) AS requests, ${measures.join(", ")} FROM ${source}`;
}
