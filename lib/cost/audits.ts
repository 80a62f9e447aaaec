import { DAY_MS, HOUR_MS } from "../time.ts";
import { referencedColumns, relationsRead } from "./columns.ts";
import {
  billedBytes,
  type PricedRelation,
  type QueryCost,
  type QueryText,
  queryCost,
  rowsIn,
  scanBytes,
  type TimeWindow,
  usdForBytes,
} from "./model.ts";

/**
 * The two scheduled audits on AWS, priced query by query:
 *   - hourly: the compaction job turns the newest hour of raw requests into feature partitions,
 *     then every audit query (data quality, detectors, evidence) runs over the last H hours;
 *   - daily: the compaction of the previous day, then every audit query over the last L days
 *     (the previous day plus its lookback).
 *
 * Scan amplification = bytes scanned by all queries of the audit / bytes of ONE pass over the raw
 * columns those queries need (the feature stage's columns of `requests`, plus the `accounts`
 * columns any query names) across the audit's window. 1.0 would be "read the raw data once";
 * rescanning prompt text for every detector would be about the number of detectors.
 */
export const AMPLIFICATION_DEFINITION =
  "scan amplification = bytes scanned by all queries of the audit (compaction of the new data + every " +
  "audit query over the compact features of the window) / bytes of ONE pass over the raw columns those " +
  "queries need (the feature stage's request columns, plus referenced account columns) across the " +
  "audit's window";

export type AuditKind = "hourly" | "daily";

export interface AuditPlan {
  readonly kind: AuditKind;
  /** What the audit queries read (detectors, data quality, evidence). */
  readonly window: TimeWindow;
  /** What the compaction job reads: the raw data that arrived since the previous run. */
  readonly newData: TimeWindow;
}

/** The hourly audit ending at `end` (floored to the hour): the last `hours` hours. */
export function hourlyPlan(end: Date, hours = 3): AuditPlan {
  const endMs = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS;
  return {
    kind: "hourly",
    window: { start: new Date(endMs - hours * HOUR_MS), end: new Date(endMs) },
    newData: { start: new Date(endMs - HOUR_MS), end: new Date(endMs) },
  };
}

/** The daily audit run at `end` (floored to midnight UTC): the previous day with an L-day lookback. */
export function dailyPlan(end: Date, lookbackDays = 7): AuditPlan {
  const endMs = Math.floor(end.getTime() / DAY_MS) * DAY_MS;
  return {
    kind: "daily",
    window: { start: new Date(endMs - lookbackDays * DAY_MS), end: new Date(endMs) },
    newData: { start: new Date(endMs - DAY_MS), end: new Date(endMs) },
  };
}

export interface AuditCostInput {
  readonly plan: AuditPlan;
  /** The feature stage (reads `requests`), run as the compaction job over the new data. */
  readonly compaction: QueryText;
  /** Every query the audit runs over the compact features (and accounts). */
  readonly queries: readonly QueryText[];
  /** `requests` (raw), `request_features` (compact) and optionally `accounts`. */
  readonly relations: ReadonlyMap<string, PricedRelation>;
  /** Request counts when known exactly; else taken from the raw row groups of the partitions. */
  readonly requests?: { readonly window: number; readonly newData: number };
}

export interface AuditCost {
  readonly kind: AuditKind;
  readonly window: { readonly start: string; readonly end: string };
  readonly newData: { readonly start: string; readonly end: string };
  /** The compaction query first, then the audit queries in catalogue order. */
  readonly queries: readonly QueryCost[];
  readonly scannedBytes: number;
  readonly billedBytes: number;
  readonly usd: number;
  readonly onePassRawBytes: number;
  readonly amplification: number;
  /** The same with row groups skipped on ts statistics (Parquet predicate pushdown). */
  readonly scannedBytesRowGroupPruned: number;
  readonly onePassRawBytesRowGroupPruned: number;
  readonly amplificationRowGroupPruned: number;
  /** Bytes scanned by all the audit's queries per `relation.column`, largest first. */
  readonly bytesByColumn: Readonly<Record<string, number>>;
  readonly requestsInWindow: number;
  readonly newRequests: number;
  /** Steady-state price: each request is new data in exactly one run of this audit. */
  readonly usdPerMillionNewRequests: number;
  readonly usdPerMillionRequestsInWindow: number;
}

function iso(window: TimeWindow): { start: string; end: string } {
  return { start: window.start.toISOString(), end: window.end.toISOString() };
}

/** Prices one audit: compaction of the new data plus every audit query over the window. */
export function auditCost(input: AuditCostInput): AuditCost {
  const { plan, relations } = input;
  const raw = relations.get("requests");
  if (!raw) throw new Error("the cost model needs the raw `requests` relation");
  const queries = [
    queryCost(input.compaction, relations, plan.newData),
    ...input.queries.map((q) => queryCost(q, relations, plan.window)),
  ];

  // One pass over the raw columns the audit needs, across its window.
  const rawColumns = referencedColumns(input.compaction.text, raw.columns);
  let onePass = scanBytes(raw.layout, rawColumns, { window: plan.window });
  let onePassPruned = scanBytes(raw.layout, rawColumns, { window: plan.window, rowGroupPruning: true });
  const accounts = relations.get("accounts");
  if (accounts) {
    const all = [input.compaction, ...input.queries];
    const used = new Set(
      all
        .filter((q) => relationsRead(q.text, ["accounts"]).length > 0)
        .flatMap((q) => referencedColumns(q.text, accounts.columns)),
    );
    const accountBytes = scanBytes(accounts.layout, [...used], { window: null });
    onePass += accountBytes;
    onePassPruned += accountBytes;
  }

  const byColumn = new Map<string, number>();
  for (const q of queries) {
    for (const scan of q.scans) {
      for (const [column, b] of Object.entries(scan.columnBytes)) {
        const key = `${scan.relation}.${column}`;
        byColumn.set(key, (byColumn.get(key) ?? 0) + b);
      }
    }
  }
  const scanned = queries.reduce((n, q) => n + q.scannedBytes, 0);
  const scannedPruned = queries.reduce((n, q) => n + q.scannedBytesRowGroupPruned, 0);
  const billed = queries.reduce((n, q) => n + q.billedBytes, 0);
  const usd = usdForBytes(billed);
  const requestsInWindow = input.requests?.window ?? rowsIn(raw.layout, plan.window);
  const newRequests = input.requests?.newData ?? rowsIn(raw.layout, plan.newData);
  return {
    kind: plan.kind,
    window: iso(plan.window),
    newData: iso(plan.newData),
    queries,
    scannedBytes: scanned,
    billedBytes: billed,
    usd,
    onePassRawBytes: onePass,
    amplification: onePass === 0 ? 0 : scanned / onePass,
    scannedBytesRowGroupPruned: scannedPruned,
    onePassRawBytesRowGroupPruned: onePassPruned,
    amplificationRowGroupPruned: onePassPruned === 0 ? 0 : scannedPruned / onePassPruned,
    bytesByColumn: Object.fromEntries([...byColumn].sort((a, b) => b[1] - a[1])),
    requestsInWindow,
    newRequests,
    usdPerMillionNewRequests: newRequests === 0 ? 0 : usd / (newRequests / 1e6),
    usdPerMillionRequestsInWindow: requestsInWindow === 0 ? 0 : usd / (requestsInWindow / 1e6),
  };
}

export interface ProjectedCost {
  readonly factor: number;
  readonly scannedBytes: number;
  readonly billedBytes: number;
  readonly usd: number;
  readonly usdPerMillionNewRequests: number;
}

/**
 * The audit at `factor` times the traffic: bytes scanned grow linearly with requests, while the
 * 10 MB minimum is applied to each query again (it dominates small data sets, not large ones).
 */
export function projectAudit(audit: AuditCost, factor: number): ProjectedCost {
  const billed = audit.queries.reduce((n, q) => n + billedBytes(q.scannedBytes * factor), 0);
  const usd = usdForBytes(billed);
  const newRequests = audit.newRequests * factor;
  return {
    factor,
    scannedBytes: audit.scannedBytes * factor,
    billedBytes: billed,
    usd,
    usdPerMillionNewRequests: newRequests === 0 ? 0 : usd / (newRequests / 1e6),
  };
}

/**
 * A steady-state day of the hourly schedule: at the end of each hour h the compaction job brings
 * the day's feature partition up to h+1, and the audit runs every query over the last H hours.
 *
 *   - `day` partitions (as deployed: dt only): the compaction recomputes [00:00, h+1) from the day's
 *     raw partition as it then is (the hours that have arrived), and each audit query reads whole
 *     day partitions as they then exist;
 *   - `hour` partitions (dt and hour): the compaction reads only the new hour, each query only its
 *     H hours.
 *
 * The share of a partition a scan reads is taken from the hourly request counts (bytes in
 * proportion to requests).
 */
export type PartitionGrain = "day" | "hour";

export interface HourlyDayCost {
  readonly day: string;
  readonly grain: PartitionGrain;
  readonly runs: number;
  readonly compactionBytes: number;
  readonly queryBytes: number;
  readonly scannedBytes: number;
  readonly billedBytes: number;
  readonly usd: number;
  /** One pass over the day's raw columns (the denominator of the amplification). */
  readonly onePassRawBytes: number;
  readonly amplification: number;
  readonly requests: number;
  readonly usdPerMillionRequests: number;
  /** Bytes scanned by each query of each run, for projections (the minimum applies per query). */
  readonly perQueryBytes: readonly number[];
}

export function hourlyDayCost(input: {
  /** The UTC day (YYYY-MM-DD) whose 24 hourly runs are priced; the day before must exist. */
  readonly day: string;
  readonly hours: number;
  readonly grain: PartitionGrain;
  readonly compaction: QueryText;
  readonly queries: readonly QueryText[];
  readonly relations: ReadonlyMap<string, PricedRelation>;
  /** Requests per UTC hour (ISO start of the hour -> count). */
  readonly hourlyRequests: ReadonlyMap<string, number>;
}): HourlyDayCost {
  const raw = input.relations.get("requests");
  if (!raw) throw new Error("the cost model needs the raw `requests` relation");
  const dayStart = Date.parse(`${input.day}T00:00:00Z`);
  const counts = new Map<string, number[]>();
  for (const [hour, n] of input.hourlyRequests) {
    const day = hour.slice(0, 10);
    const perHour = counts.get(day) ?? new Array<number>(24).fill(0);
    const h = Number(hour.slice(11, 13));
    perHour[h] = (perHour[h] ?? 0) + n;
    counts.set(day, perHour);
  }
  /** The share of a day partition's requests in [from, to). */
  const share = (partition: string, from: number, to: number): number => {
    const perHour = counts.get(partition) ?? [];
    const total = perHour.reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    const start = Date.parse(`${partition}T00:00:00Z`);
    let n = 0;
    for (let h = 0; h < 24; h++) {
      const t = start + h * HOUR_MS;
      if (t >= from && t < to) n += perHour[h] ?? 0;
    }
    return n / total;
  };
  let compactionBytes = 0;
  let queryBytes = 0;
  let billed = 0;
  const perQueryBytes: number[] = [];
  for (let h = 0; h < 24; h++) {
    const end = dayStart + (h + 1) * HOUR_MS;
    const auditStart = end - input.hours * HOUR_MS;
    // Day partitions: what exists at `end` (earlier days whole, today up to `end`).
    // Hour partitions: only the hours of the scan's own range.
    const presentFor =
      (from: number) =>
      (partition: string): number =>
        input.grain === "day"
          ? partition < input.day
            ? 1
            : share(partition, dayStart, end)
          : share(partition, from, end);
    const compaction = queryCost(
      input.compaction,
      input.relations,
      { start: new Date(input.grain === "day" ? dayStart : end - HOUR_MS), end: new Date(end) },
      presentFor(input.grain === "day" ? dayStart : end - HOUR_MS),
    );
    const audit = input.queries.map((q) =>
      queryCost(
        q,
        input.relations,
        { start: new Date(auditStart), end: new Date(end) },
        presentFor(auditStart),
      ),
    );
    for (const q of [compaction, ...audit]) perQueryBytes.push(q.scannedBytes);
    compactionBytes += compaction.scannedBytes;
    queryBytes += audit.reduce((n, q) => n + q.scannedBytes, 0);
    billed += compaction.billedBytes + audit.reduce((n, q) => n + q.billedBytes, 0);
  }
  const rawColumns = referencedColumns(input.compaction.text, raw.columns);
  const onePass = scanBytes(raw.layout, rawColumns, {
    window: { start: new Date(dayStart), end: new Date(dayStart + DAY_MS) },
  });
  const scanned = compactionBytes + queryBytes;
  const usd = usdForBytes(billed);
  const requests = (counts.get(input.day) ?? []).reduce((a, b) => a + b, 0);
  return {
    day: input.day,
    grain: input.grain,
    runs: 24,
    compactionBytes,
    queryBytes,
    scannedBytes: scanned,
    billedBytes: billed,
    usd,
    onePassRawBytes: onePass,
    amplification: onePass === 0 ? 0 : scanned / onePass,
    requests,
    usdPerMillionRequests: requests === 0 ? 0 : usd / (requests / 1e6),
    perQueryBytes,
  };
}

/** A day of the hourly schedule at `factor` times the traffic (minimum re-applied per query). */
export function projectHourlyDay(day: HourlyDayCost, factor: number): ProjectedCost {
  const billed = day.perQueryBytes.reduce((n, b) => n + billedBytes(b * factor), 0);
  const usd = usdForBytes(billed);
  const requests = day.requests * factor;
  return {
    factor,
    scannedBytes: day.scannedBytes * factor,
    billedBytes: billed,
    usd,
    usdPerMillionNewRequests: requests === 0 ? 0 : usd / (requests / 1e6),
  };
}
