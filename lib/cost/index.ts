import { utcDay } from "../engine/port.ts";
import { ACCOUNT_FIELDS, REQUEST_FIELDS } from "../schema/log-schema.ts";
import { sqlCatalog } from "../sql/catalog.ts";
import { DAY_MS } from "../time.ts";
import {
  type AuditCost,
  auditCost,
  dailyPlan,
  type HourlyDayCost,
  hourlyDayCost,
  hourlyPlan,
} from "./audits.ts";
import type { RelationLayout } from "./layout.ts";
import type { PricedRelation, QueryText } from "./model.ts";

export * from "./audits.ts";
export * from "./columns.ts";
export * from "./layout.ts";
export * from "./model.ts";

/**
 * The queries an audit runs on Athena, from the SQL catalogue: the feature stage (run by the
 * compaction job over new raw data) and every other query (data quality, shared relations,
 * detectors, evidence), which read the compact features and the accounts table. A shared relation
 * is built once per audit (lib/engine/athena/shared.ts); the queries that use it read its small
 * run, priced as free.
 */
export function catalogQueries(): { compaction: QueryText; queries: QueryText[] } {
  const all = [...sqlCatalog().values()];
  const compaction = all.find((q) => q.name === "features");
  if (!compaction) throw new Error("the SQL catalogue has no `features` query");
  const queries = all.filter((q) => q.name !== "features").sort((a, b) => a.name.localeCompare(b.name));
  return { compaction, queries };
}

/** Every column stored in a layout's files (union over its row groups); a partition column is not stored. */
export function layoutColumns(layout: RelationLayout): string[] {
  const columns = new Set<string>();
  for (const rg of layout.rowGroups) for (const c of Object.keys(rg.columnBytes)) columns.add(c);
  return [...columns];
}

export interface CostModelInput {
  /** Raw requests (Parquet footers, or whole JSON files). */
  readonly raw: RelationLayout;
  /** The compact request_features table as the compaction job writes it (Parquet, by dt). */
  readonly features: RelationLayout;
  readonly accounts: RelationLayout | null;
  /** When the audits run: the end of the data. */
  readonly end: Date;
  readonly hours: number;
  readonly lookbackDays: number;
  /** Exact request counts per window, when the caller can count them. */
  readonly countRequests?: (window: { start: Date; end: Date }) => Promise<number>;
  /** Requests per UTC hour (ISO hour start -> count), for the hourly schedule's steady-state day. */
  readonly hourlyRequests?: ReadonlyMap<string, number>;
}

export interface CostModel {
  readonly hourly: AuditCost;
  readonly daily: AuditCost;
  /** The 24 hourly runs of the last day as deployed: dt partitions, the day so far recompacted hourly. */
  readonly hourlyDay: HourlyDayCost | null;
  /** The same day if request_features (and the raw logs) were partitioned by hour too. */
  readonly hourlyDayHourPartitions: HourlyDayCost | null;
}

/** Prices the hourly and the daily audit over the given layouts. */
export async function priceAudits(input: CostModelInput): Promise<CostModel> {
  const relations = new Map<string, PricedRelation>([
    ["requests", { layout: input.raw, columns: REQUEST_FIELDS.map((f) => f.name), partitioned: true }],
    [
      "request_features",
      { layout: input.features, columns: layoutColumns(input.features), partitioned: true },
    ],
  ]);
  if (input.accounts) {
    relations.set("accounts", {
      layout: input.accounts,
      columns: ACCOUNT_FIELDS.map((f) => f.name),
      partitioned: false,
    });
  }
  const { compaction, queries } = catalogQueries();
  const price = async (plan: ReturnType<typeof hourlyPlan>): Promise<AuditCost> => {
    const requests = input.countRequests
      ? { window: await input.countRequests(plan.window), newData: await input.countRequests(plan.newData) }
      : undefined;
    return auditCost({ plan, compaction, queries, relations, ...(requests ? { requests } : {}) });
  };
  const lastDay = utcDay(new Date(Math.floor(input.end.getTime() / DAY_MS) * DAY_MS - DAY_MS));
  const hourlyRequests = input.hourlyRequests;
  const hourlyDay = (grain: "day" | "hour") =>
    hourlyRequests
      ? hourlyDayCost({
          day: lastDay,
          hours: input.hours,
          grain,
          compaction,
          queries,
          relations,
          hourlyRequests,
        })
      : null;
  return {
    hourly: await price(hourlyPlan(input.end, input.hours)),
    daily: await price(dailyPlan(input.end, input.lookbackDays)),
    hourlyDay: hourlyDay("day"),
    hourlyDayHourPartitions: hourlyDay("hour"),
  };
}
