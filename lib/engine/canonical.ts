import type { CellValue, Row } from "./port.ts";

/**
 * Neither engine defines the order of rows a query without ORDER BY returns, and parallel scans
 * change it from run to run. Both adapters hand rows over in this canonical order (by every column
 * value, in column order), so nothing downstream — tie-breaks, lists in explanations — can make two
 * runs over the same data differ.
 */
export function canonicalOrder<R extends Row>(rows: R[]): R[] {
  // Every row of a result has the same columns; the order compares them as the first row lists them.
  const columns = rows.length > 0 ? Object.keys(rows[0] as R) : [];
  return rows.sort((a, b) => compareRows(a, b, columns));
}

function compareRows(a: Row, b: Row, columns: readonly string[]): number {
  for (const column of columns) {
    const order = compareCells(a[column] ?? null, b[column] ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : 1;
  // lists, or values of different types: rare, so the cost of serialising them does not matter
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}
