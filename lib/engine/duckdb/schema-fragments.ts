import { duckdbType, type FieldSpec, type FieldType } from "../../schema/log-schema.ts";

/**
 * SQL fragments the local reader templates (lib/sql/local) are filled with. They are derived from
 * the one schema definition, never from input, so the DuckDB column types cannot drift from it.
 */

const JSON_TYPES_ACCEPTED: Record<FieldType, readonly string[]> = {
  string: ["VARCHAR"],
  timestamp: ["VARCHAR"],
  integer: ["UBIGINT", "BIGINT"],
  double: ["UBIGINT", "BIGINT", "DOUBLE"],
};

/** `{"field":"JSON",...}`: parse every field as a JSON value so its JSON type can be checked. */
export function rawStructure(fields: readonly FieldSpec[]): string {
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, "JSON"])));
}

function jsonValue(field: FieldSpec): string {
  const value = `raw.${field.name}`;
  switch (field.type) {
    case "string":
      return `${value} ->> '$'`;
    case "timestamp":
      return `CAST(TRY_CAST(${value} ->> '$' AS TIMESTAMPTZ) AS TIMESTAMP)`;
    default:
      return `TRY_CAST(${value} AS ${duckdbType(field.type)})`;
  }
}

/** One CASE per field giving `wrong_type:<field>` or `invalid_timestamp:<field>`, else NULL. */
export function typeChecks(fields: readonly FieldSpec[]): string {
  return fields
    .map((f) => {
      const value = `raw.${f.name}`;
      const accepted = JSON_TYPES_ACCEPTED[f.type].map((t) => `'${t}'`).join(", ");
      const timestampCheck =
        f.type === "timestamp"
          ? ` WHEN TRY_CAST(${value} ->> '$' AS TIMESTAMPTZ) IS NULL THEN 'invalid_timestamp:${f.name}'`
          : "";
      return `CASE WHEN ${value} IS NULL OR json_type(${value}) = 'NULL' THEN NULL WHEN json_type(${value}) NOT IN (${accepted}) THEN 'wrong_type:${f.name}'${timestampCheck} END`;
    })
    .join(",\n    ");
}

export function typedColumnsFromJson(fields: readonly FieldSpec[]): string {
  return fields.map((f) => `${jsonValue(f)} AS ${f.name}`).join(",\n  ");
}

/** Parquet columns cast to the schema's types; columns no file has are typed NULLs. */
export function typedColumnsFromParquet(fields: readonly FieldSpec[], present: ReadonlySet<string>): string {
  return fields
    .map((f) =>
      present.has(f.name)
        ? `TRY_CAST(${f.name} AS ${duckdbType(f.type)}) AS ${f.name}`
        : `CAST(NULL AS ${duckdbType(f.type)}) AS ${f.name}`,
    )
    .join(",\n  ");
}

export function typedNullColumns(fields: readonly FieldSpec[]): string {
  return typedColumnsFromParquet(fields, new Set());
}

export function columnNames(fields: readonly FieldSpec[]): string {
  return fields.map((f) => f.name).join(", ");
}

/** Replaces every `{{name}}`; a placeholder left unfilled is a programming error. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const filled = template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`SQL template placeholder ${match} has no value`);
    return value;
  });
  return filled;
}
