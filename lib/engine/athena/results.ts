import type { Row as AthenaRow, ColumnInfo } from "@aws-sdk/client-athena";
import type { CellValue, Row } from "../port.ts";

/**
 * Athena returns every value as text (`VarCharValue`) next to the column's type in ColumnInfo;
 * NULL is a Datum without VarCharValue. These functions give rows the same JS types the DuckDB
 * adapter returns, so detectors see one shape whatever the engine.
 */
export interface Column {
  readonly name: string;
  readonly type: string;
}

export function columnsOf(info: readonly ColumnInfo[] | undefined): Column[] {
  return (info ?? []).map((c, i) => ({
    name: c.Name ?? c.Label ?? `_col${i}`,
    type: (c.Type ?? "varchar").toLowerCase(),
  }));
}

const INTEGER_TYPES = new Set(["tinyint", "smallint", "integer", "int", "bigint"]);
const FLOAT_TYPES = new Set(["double", "float", "real", "decimal"]);

/** Athena's timestamp text ("2026-02-16 10:00:00.000", optionally with a zone) as ISO 8601 UTC. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s*(UTC|Z))?$/.exec(text.trim());
  if (!m) return text;
  return new Date(`${m[1]}T${m[2]}Z`).toISOString();
}

/**
 * Athena renders array(varchar) as `[a, b]`, elements unquoted. Elements containing ", " cannot be
 * told apart from two elements; the queries only return arrays of ids, which never do.
 */
export function parseArray(text: string, elementType: string): CellValue[] {
  const inner = text.trim().replace(/^\[/, "").replace(/\]$/, "");
  if (inner.trim() === "") return [];
  return inner.split(", ").map((element) => (element === "null" ? null : cellValue(element, elementType)));
}

export function cellValue(text: string | undefined, type: string): CellValue {
  if (text === undefined) return null;
  const base = type.replace(/\(.*$/s, "").trim();
  if (INTEGER_TYPES.has(base) || FLOAT_TYPES.has(base)) return Number(text);
  if (base === "boolean") return text === "true";
  if (base === "timestamp") return isoTimestamp(text);
  if (base === "array") {
    const element = /^array\((.*)\)$/s.exec(type)?.[1] ?? "varchar";
    return parseArray(text, element);
  }
  return text;
}

export function typedRow(row: AthenaRow, columns: readonly Column[]): Row {
  const out: Row = {};
  const data = row.Data ?? [];
  columns.forEach((column, i) => {
    out[column.name] = cellValue(data[i]?.VarCharValue, column.type);
  });
  return out;
}
