import type { ParamValue } from "../port.ts";

/**
 * Athena's ExecutionParameters are SQL text, not typed values: each one is spliced by Athena in
 * place of its `?` as a literal. These functions render our typed parameters as Trino literals, so
 * a value can only ever be a value (quotes doubled), never SQL.
 */
export class AthenaLiteralError extends Error {}

/** A Trino string literal: single quotes, embedded quotes doubled. */
export function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `TIMESTAMP 'yyyy-mm-dd hh:mm:ss.sss'`, in UTC: the log timestamps are UTC wall-clock times. */
export function timestampLiteral(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new AthenaLiteralError("cannot render an invalid Date");
  return `TIMESTAMP '${value.toISOString().replace("T", " ").replace("Z", "")}'`;
}

export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new AthenaLiteralError(`cannot render ${value} as an Athena number`);
  if (Number.isInteger(value)) return String(value);
  // DOUBLE, not DECIMAL: a bare 0.25 is a DECIMAL in Trino and would change arithmetic.
  return `DOUBLE '${value}'`;
}

export function athenaLiteral(value: ParamValue): string {
  if (isStringList(value)) {
    // An empty ARRAY[] has no element type; Trino needs it spelled out for contains() and friends.
    if (value.length === 0) return "CAST(ARRAY[] AS ARRAY(VARCHAR))";
    return `ARRAY[${value.map(stringLiteral).join(", ")}]`;
  }
  if (value instanceof Date) return timestampLiteral(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return numberLiteral(value);
  return stringLiteral(value);
}

function isStringList(value: ParamValue): value is readonly string[] {
  return Array.isArray(value);
}
