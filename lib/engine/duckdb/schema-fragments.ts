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

/**
 * The largest integer the audit carries exactly: counts reach findings.json as JSON numbers, which
 * are doubles, so a larger token count would be rounded (and fail the document's validation).
 */
export const MAX_SAFE_INTEGER_SQL = "9007199254740991";

/**
 * RFC 3339 date-times with a zone (`Z` or an offset), the only timestamps the schema accepts: a
 * local time without a zone, a space instead of `T` or a bare date would be read in whatever zone
 * the reader assumes, so they are rejected instead of guessed.
 */
export const RFC3339_PATTERN =
  "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

/**
 * One CASE per field giving `wrong_type:<field>`, `out_of_range:<field>` or
 * `invalid_timestamp:<field>`, else NULL. An integer field takes JSON integers within
 * ±MAX_SAFE_INTEGER_SQL; a JSON number with a fraction (1.5 tokens) is of the wrong type, an
 * integer beyond the range (written as a float, or over 2^63) is out of range.
 */
export function typeChecks(fields: readonly FieldSpec[]): string {
  return fields
    .map((f) => {
      const value = `raw.${f.name}`;
      const accepted = JSON_TYPES_ACCEPTED[f.type].map((t) => `'${t}'`).join(", ");
      const rangeCheck =
        f.type === "integer"
          ? ` WHEN json_type(${value}) IN ('UBIGINT', 'BIGINT') AND abs(TRY_CAST(${value} AS HUGEINT)) > ${MAX_SAFE_INTEGER_SQL} THEN 'out_of_range:${f.name}'` +
            ` WHEN json_type(${value}) = 'DOUBLE' AND TRY_CAST(${value} AS DOUBLE) = floor(TRY_CAST(${value} AS DOUBLE)) AND abs(TRY_CAST(${value} AS DOUBLE)) > ${MAX_SAFE_INTEGER_SQL} THEN 'out_of_range:${f.name}'`
          : "";
      const timestampCheck =
        f.type === "timestamp"
          ? ` WHEN NOT regexp_full_match(${value} ->> '$', '${RFC3339_PATTERN}') OR TRY_CAST(${value} ->> '$' AS TIMESTAMPTZ) IS NULL THEN 'invalid_timestamp:${f.name}'`
          : "";
      return `CASE WHEN ${value} IS NULL OR json_type(${value}) = 'NULL' THEN NULL${rangeCheck} WHEN json_type(${value}) NOT IN (${accepted}) THEN 'wrong_type:${f.name}'${timestampCheck} END`;
    })
    .join(",\n    ");
}

export function typedColumnsFromJson(fields: readonly FieldSpec[]): string {
  return fields.map((f) => `${jsonValue(f)} AS ${f.name}`).join(",\n  ");
}

/** DuckDB types a Parquet column may have for each schema type; anything else is `wrong_type`. */
const PARQUET_TYPES_ACCEPTED: Record<FieldType, (type: string) => boolean> = {
  string: (t) => t === "VARCHAR",
  timestamp: (t) => /^TIMESTAMP(_S|_MS|_NS)?$|^TIMESTAMP WITH TIME ZONE$/.test(t),
  integer: (t) => /^U?(TINYINT|SMALLINT|INTEGER|BIGINT)$|^HUGEINT$/.test(t),
  double: (t) => /^U?(TINYINT|SMALLINT|INTEGER|BIGINT)$|^HUGEINT$|^FLOAT$|^DOUBLE$|^DECIMAL\(/.test(t),
};

/** Integer types that can hold values beyond ±MAX_SAFE_INTEGER_SQL, so their values are checked. */
const WIDE_INTEGER = /^(U?BIGINT|HUGEINT)$/;

export interface ParquetColumns {
  /** The schema's columns, typed; a column of the wrong type reads as NULL (its rows are rejected). */
  readonly typed: string;
  /** An expression giving the first reject reason of a row, or NULL; "NULL" when none can apply. */
  readonly reject: string;
}

/**
 * Parquet columns cast to the schema's types, for one group of files that share column types
 * (`types`: column name to DuckDB type; columns no file of the group has are typed NULLs). Parquet
 * is typed per file, so a column of the wrong type rejects each of the file's rows that has a value
 * there as `wrong_type:<field>` (as JSON Lines does per value), and a wide integer column rejects
 * the values beyond the safe range as `out_of_range:<field>`, instead of a TRY_CAST to NULL or a
 * rounding that would count a record as missing a field or accept 1.5 tokens.
 */
export function parquetColumns(
  fields: readonly FieldSpec[],
  types: ReadonlyMap<string, string>,
): ParquetColumns {
  const typed: string[] = [];
  const checks: string[] = [];
  for (const f of fields) {
    const type = types.get(f.name);
    const target = duckdbType(f.type);
    if (type === undefined) {
      typed.push(`CAST(NULL AS ${target}) AS ${f.name}`);
    } else if (f.type === "timestamp" && type === "VARCHAR") {
      // Timestamps written as text (as JSON Lines carry them) take the JSON reader's rule.
      typed.push(`CAST(TRY_CAST(${f.name} AS TIMESTAMPTZ) AS TIMESTAMP) AS ${f.name}`);
      checks.push(
        `CASE WHEN ${f.name} IS NOT NULL AND (NOT regexp_full_match(${f.name}, '${RFC3339_PATTERN}') OR TRY_CAST(${f.name} AS TIMESTAMPTZ) IS NULL) THEN 'invalid_timestamp:${f.name}' END`,
      );
    } else if (!PARQUET_TYPES_ACCEPTED[f.type](type)) {
      typed.push(`CAST(NULL AS ${target}) AS ${f.name}`);
      checks.push(`CASE WHEN ${f.name} IS NOT NULL THEN 'wrong_type:${f.name}' END`);
    } else {
      // TRY_CAST: DuckDB may cast a row before the filter that sets an out-of-range one aside.
      typed.push(`TRY_CAST(${f.name} AS ${target}) AS ${f.name}`);
      if (f.type === "integer" && WIDE_INTEGER.test(type)) {
        checks.push(
          `CASE WHEN abs(CAST(${f.name} AS HUGEINT)) > ${MAX_SAFE_INTEGER_SQL} THEN 'out_of_range:${f.name}' END`,
        );
      }
    }
  }
  return {
    typed: typed.join(",\n  "),
    reject:
      checks.length === 0
        ? "NULL"
        : checks.length === 1
          ? (checks[0] as string)
          : `coalesce(${checks.join(", ")})`,
  };
}

export function typedNullColumns(fields: readonly FieldSpec[]): string {
  return parquetColumns(fields, new Map()).typed;
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
