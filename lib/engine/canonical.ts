import type { CellValue, Row } from "./port.ts";

/**
 * Neither engine defines the order of rows a query without ORDER BY returns, and parallel scans
 * change it from run to run. Both adapters hand rows over in this canonical order (by every column
 * value, in column order), so nothing downstream — tie-breaks, lists in explanations — can make two
 * runs over the same data differ.
 */
export function canonicalOrder<R extends Row>(rows: R[]): R[] {
  return rows.sort(compareRows);
}

function compareRows(a: Row, b: Row): number {
  for (const key of Object.keys(a)) {
    const order = compareCells(a[key] ?? null, b[key] ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}
