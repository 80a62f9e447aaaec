/**
 * The query-engine port. The audit pipeline knows only this interface; DuckDB (local) and Athena
 * (AWS) implement it. Queries are named SQL files from lib/sql; parameters are bound, never spliced.
 */

import { DAY_MS, HOUR_MS } from "../time.ts";

/**
 * The row order of compact features wherever they are stored compressed: by account, then time.
 * Sorted, an account's rows form runs (one dictionary run for its id, small steps between its
 * timestamps) that compression shrinks, and the detectors' per-account group-bys and windows read
 * them in order. Both engines' measurements are in the README (Scale and cost).
 */
export const FEATURE_STORE_ORDER: readonly string[] = ["account_id", "ts"];

/**
 * The reject reason of a compact row once duplicate request ids are ranked: within a day, every row
 * of a request id after the first (by time, then account) is a `duplicate_request_id`, unless the
 * schema already rejected it. Each engine applies it as it writes its feature store rather than in
 * features.sql: Athena in the compaction's UNLOAD (Parquet cannot be updated afterwards), DuckDB to
 * the rows of ids that repeat, which spares it a window over every compact row (a fifth to a third
 * of the feature stage's time at 1M to 4M requests).
 */
export const DUPLICATE_REJECT_REASON = [
  "CASE",
  "  WHEN reject_reason IS NOT NULL THEN reject_reason",
  "  WHEN row_number() OVER (PARTITION BY dt, request_id ORDER BY ts, account_id) > 1 THEN 'duplicate_request_id'",
  "END",
].join("\n");

/** A half-open UTC interval [start, end). */
export interface AuditWindow {
  readonly start: Date;
  readonly end: Date;
}

export type ParamValue = string | number | boolean | Date | readonly string[];

/** Named parameter values; each SQL file declares the order its `?` placeholders take them in. */
export type QueryParams = Readonly<Record<string, ParamValue>>;

export type CellValue = string | number | boolean | null | CellValue[];
export type Row = Record<string, CellValue>;

export interface QueryStats {
  readonly query: string;
  readonly sqlSha256: string;
  /** DuckDB: a local sequence id; Athena: the QueryExecutionId. */
  readonly executionId: string;
  /** Bytes the engine read for this query, when the engine reports it. */
  readonly bytesScanned: number | null;
  readonly elapsedMs: number;
  readonly rows: number;
}

export interface QueryResult<R> {
  readonly rows: R[];
  readonly stats: QueryStats;
}

/** What the engine learnt while preparing the window: reader-level rejects and coverage. */
export interface PreparedWindow {
  readonly stats: QueryStats[];
  /** Records the reader could not turn into typed rows, by reason (malformed JSON, wrong type, ...). */
  readonly readerRejects: Record<string, number>;
  /** Whether the optional accounts table had any readable record. */
  readonly accountsAvailable: boolean;
  readonly filesRead: number;
  /** Files of the window that could not be read, or only in part (a gzip cut short), and why. */
  readonly unreadableFiles: readonly FileProblem[];
  /** Entries under the log root that are not log files by its layout (hidden, wrong extension...). */
  readonly skippedFiles: readonly FileProblem[];
  /** The accounts table's rows: read, accepted, and set aside by reason; null when not counted. */
  readonly accounts: AccountCounts | null;
}

export interface FileProblem {
  /** Path relative to the log root (a folder ends with `/`). */
  readonly file: string;
  readonly reason: string;
}

export interface AccountCounts {
  readonly read: number;
  readonly accepted: number;
  readonly rejected: Record<string, number>;
}

export interface QueryEngine {
  readonly name: "duckdb" | "athena";
  /**
   * Makes `requests`, `accounts` and the compact `request_features` relation available for the
   * window (the feature stage: the only pass over prompt text).
   */
  prepare(window: AuditWindow): Promise<PreparedWindow>;
  /** Runs a named query and returns typed rows in canonical order (see canonical.ts). */
  run<R extends Row>(query: string, params: QueryParams): Promise<QueryResult<R>>;
  close(): Promise<void>;
}

export function isWholeHour(date: Date): boolean {
  return date.getTime() % HOUR_MS === 0;
}

/**
 * The parameters every windowed query takes; the dt bounds let both engines prune partitions.
 * Windows start and end on whole UTC hours: queries over the compact features select the window
 * on `hour_bucket`, which Athena reads almost for free (a few distinct values per file), instead
 * of the request timestamp, the widest column they would otherwise all read.
 */
export function windowParams(window: AuditWindow): QueryParams {
  if (!isWholeHour(window.start) || !isWholeHour(window.end)) {
    throw new RangeError(
      `audit windows start and end on whole UTC hours; got ${window.start.toISOString()} .. ${window.end.toISOString()}`,
    );
  }
  return {
    window_start: window.start,
    window_end: window.end,
    dt_start: utcDay(window.start),
    dt_end: utcDay(new Date(window.end.getTime() - 1)),
  };
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The window covering whole dt partitions: from midnight of `first` to the end of `last`. */
export function partitionsWindow(first: string, last: string): AuditWindow {
  return { start: new Date(`${first}T00:00:00Z`), end: new Date(Date.parse(`${last}T00:00:00Z`) + DAY_MS) };
}

/** The UTC days (dt partitions) a window touches, in order. */
export function windowDays(window: AuditWindow): string[] {
  if (!(window.start.getTime() < window.end.getTime())) {
    throw new RangeError(`empty audit window ${window.start.toISOString()} .. ${window.end.toISOString()}`);
  }
  const days: string[] = [];
  const first = Date.parse(`${utcDay(window.start)}T00:00:00Z`);
  for (let dayStart = first; dayStart < window.end.getTime(); dayStart += DAY_MS) {
    days.push(utcDay(new Date(dayStart)));
  }
  return days;
}
