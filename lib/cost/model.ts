import { utcDay } from "../engine/port.ts";
import { referencedColumns, relationsRead } from "./columns.ts";
import type { RelationLayout, RowGroupLayout } from "./layout.ts";

/**
 * The Athena cost model: bytes a query scans are the compressed column chunks of the columns it
 * names, in the partitions its window covers; Athena bills $5 per TB scanned, each query rounded up
 * to a whole megabyte with a 10 MB minimum. Units are decimal (1 MB = 10^6 B, 1 TB = 10^12 B), which
 * errs on the expensive side of the binary reading.
 */
export const USD_PER_TB = 5;
export const BYTES_PER_TB = 1e12;
export const BYTES_PER_MB = 1e6;
export const MINIMUM_BILLED_BYTES = 10 * BYTES_PER_MB;

/** Bytes Athena bills for one query that scanned `scanned` bytes. */
export function billedBytes(scanned: number): number {
  return Math.max(MINIMUM_BILLED_BYTES, Math.ceil(scanned / BYTES_PER_MB) * BYTES_PER_MB);
}

export function usdForBytes(billed: number): number {
  return (billed / BYTES_PER_TB) * USD_PER_TB;
}

/** A half-open UTC interval [start, end). */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/** The dt partitions a window touches: Athena prunes to these (partition projection on dt). */
export function partitionRange(window: TimeWindow): { dtStart: string; dtEnd: string } {
  return { dtStart: utcDay(window.start), dtEnd: utcDay(new Date(window.end.getTime() - 1)) };
}

function inPartitions(rg: RowGroupLayout, window: TimeWindow | null): boolean {
  if (window === null || rg.partition === null) return true;
  const { dtStart, dtEnd } = partitionRange(window);
  return rg.partition >= dtStart && rg.partition <= dtEnd;
}

/** Whether a row group's ts statistics allow rows in the window (no statistics: it must be read). */
function overlapsWindow(rg: RowGroupLayout, window: TimeWindow): boolean {
  if (rg.tsMin === null || rg.tsMax === null) return true;
  return Date.parse(rg.tsMax) >= window.start.getTime() && Date.parse(rg.tsMin) < window.end.getTime();
}

export interface ScanOptions {
  /** Only partitions the window touches; null reads every partition (or an unpartitioned relation). */
  readonly window: TimeWindow | null;
  /** Also skip row groups whose ts min/max statistics lie outside the window. */
  readonly rowGroupPruning?: boolean;
  /**
   * The share (0..1) of each partition that exists when the query runs: a day partition that is
   * still being written holds only the hours compacted so far. Default: all of it.
   */
  readonly present?: (partition: string) => number;
}

/** Compressed bytes of `columns` in the row groups a scan of `layout` reads. */
export function scanBytes(layout: RelationLayout, columns: readonly string[], options: ScanOptions): number {
  const window = options.window;
  let bytes = 0;
  for (const rg of layout.rowGroups) {
    if (!inPartitions(rg, window)) continue;
    if (options.rowGroupPruning && window !== null && !overlapsWindow(rg, window)) continue;
    const share = options.present && rg.partition !== null ? options.present(rg.partition) : 1;
    if (!layout.columnar) {
      if (columns.length > 0) bytes += (rg.columnBytes["*"] ?? 0) * share;
      continue;
    }
    for (const column of columns) bytes += (rg.columnBytes[column] ?? 0) * share;
  }
  return bytes;
}

/** Rows in the row groups of the window's partitions (exact for day-aligned windows). */
export function rowsIn(layout: RelationLayout, window: TimeWindow | null): number {
  return layout.rowGroups.filter((rg) => inPartitions(rg, window)).reduce((n, rg) => n + rg.rows, 0);
}

/** A relation the model can price: its layout, its columns, and whether it is dt-partitioned. */
export interface PricedRelation {
  readonly layout: RelationLayout;
  /** Every stored column of the relation (the partition column costs nothing and is left out). */
  readonly columns: readonly string[];
  readonly partitioned: boolean;
}

export interface QueryText {
  readonly name: string;
  readonly text: string;
}

export interface RelationScan {
  readonly relation: string;
  readonly columns: readonly string[];
  /** With dt partition pruning only. */
  readonly bytes: number;
  /** With dt partition pruning and row-group pruning on ts statistics. */
  readonly bytesRowGroupPruned: number;
  /** `bytes` by column. */
  readonly columnBytes: Readonly<Record<string, number>>;
}

export interface QueryCost {
  readonly query: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly scans: readonly RelationScan[];
  readonly scannedBytes: number;
  readonly scannedBytesRowGroupPruned: number;
  readonly billedBytes: number;
  readonly usd: number;
}

/**
 * What one query over `window` scans, from the relations it names in FROM/JOIN; `present` gives the
 * share of each partition that exists when it runs (default: all).
 */
export function queryCost(
  query: QueryText,
  relations: ReadonlyMap<string, PricedRelation>,
  window: TimeWindow,
  present?: (partition: string) => number,
): QueryCost {
  const scans: RelationScan[] = [];
  for (const name of relationsRead(query.text, [...relations.keys()])) {
    const relation = relations.get(name) as PricedRelation;
    const columns = referencedColumns(query.text, relation.columns);
    const scanWindow = relation.partitioned ? window : null;
    const usesTs = columns.includes("ts");
    const options = { window: scanWindow, ...(present ? { present } : {}) };
    // A non-columnar file (JSON) is read whole once, whatever the columns: one `*` entry.
    const columnBytes: Record<string, number> = relation.layout.columnar
      ? Object.fromEntries(columns.map((c) => [c, scanBytes(relation.layout, [c], options)]))
      : { "*": scanBytes(relation.layout, columns, options) };
    scans.push({
      relation: name,
      columns,
      columnBytes,
      bytes: Object.values(columnBytes).reduce((n, b) => n + b, 0),
      bytesRowGroupPruned: scanBytes(relation.layout, columns, {
        window: scanWindow,
        rowGroupPruning: usesTs,
        ...(present ? { present } : {}),
      }),
    });
  }
  const scannedBytes = scans.reduce((n, s) => n + s.bytes, 0);
  const billed = billedBytes(scannedBytes);
  return {
    query: query.name,
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
    scans,
    scannedBytes,
    scannedBytesRowGroupPruned: scans.reduce((n, s) => n + s.bytesRowGroupPruned, 0),
    billedBytes: billed,
    usd: usdForBytes(billed),
  };
}
