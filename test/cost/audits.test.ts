import { describe, expect, it } from "vitest";
import {
  auditCost,
  dailyPlan,
  hourlyDayCost,
  hourlyPlan,
  type PricedRelation,
  projectAudit,
  type RelationLayout,
} from "../../lib/cost/index.ts";

const DAYS = ["2026-02-16", "2026-02-17", "2026-02-18"];

/** One row group per day and column, with fixed sizes, so every sum can be checked by hand. */
function layout(relation: string, bytesPerDay: Record<string, number>, rows = 1000): RelationLayout {
  return {
    relation,
    columnar: true,
    rowGroups: DAYS.map((day) => ({
      file: `/data/${relation}/dt=${day}/part-0.parquet`,
      partition: day,
      rows,
      tsMin: `${day}T00:00:00.000Z`,
      tsMax: `${day}T23:59:59.999Z`,
      columnBytes: bytesPerDay,
    })),
  };
}

const raw: PricedRelation = {
  layout: layout("requests", { ts: 1_000_000, account_id: 500_000, prompt: 40_000_000, model: 100_000 }),
  columns: ["ts", "account_id", "prompt", "model"],
  partitioned: true,
};
const features: PricedRelation = {
  layout: layout("request_features", { ts: 1_000_000, account_id: 500_000, skeleton_hash: 2_000_000 }),
  columns: ["ts", "account_id", "skeleton_hash"],
  partitioned: true,
};
const relations = new Map([
  ["requests", raw],
  ["request_features", features],
]);
const compaction = {
  name: "features",
  text: "SELECT ts, account_id, model, lower(prompt) FROM requests WHERE dt BETWEEN ? AND ?",
};
const queries = [
  {
    name: "detector_a",
    text: "SELECT account_id, count(*) FROM request_features WHERE dt BETWEEN ? AND ? AND ts >= ?",
  },
  { name: "detector_b", text: "SELECT account_id, skeleton_hash FROM request_features WHERE ts >= ?" },
];

describe("audit windows", () => {
  const end = new Date("2026-02-19T00:00:00Z");

  it("hourly: the last H hours, compaction of the last hour", () => {
    const plan = hourlyPlan(new Date("2026-02-18T10:42:00Z"), 3);
    expect(plan.window).toEqual({
      start: new Date("2026-02-18T07:00:00Z"),
      end: new Date("2026-02-18T10:00:00Z"),
    });
    expect(plan.newData).toEqual({
      start: new Date("2026-02-18T09:00:00Z"),
      end: new Date("2026-02-18T10:00:00Z"),
    });
  });

  it("daily: the previous day with an L-day lookback", () => {
    const plan = dailyPlan(end, 2);
    expect(plan.window).toEqual({ start: new Date("2026-02-17T00:00:00Z"), end });
    expect(plan.newData).toEqual({ start: new Date("2026-02-18T00:00:00Z"), end });
  });
});

describe("auditCost", () => {
  const end = new Date("2026-02-19T00:00:00Z");

  it("prices compaction of the new day plus every query over the lookback, and the amplification", () => {
    const cost = auditCost({ plan: dailyPlan(end, 2), compaction, queries, relations });
    const [comp, a, b] = cost.queries;
    expect(comp?.scannedBytes).toBe(41_600_000); // one day of all four raw columns
    expect(a?.scannedBytes).toBe(2 * 1_500_000); // ts + account_id over two days
    expect(b?.scannedBytes).toBe(2 * 3_500_000); // ts + account_id + skeleton_hash over two days
    expect(cost.scannedBytes).toBe(41_600_000 + 3_000_000 + 7_000_000);
    expect(cost.onePassRawBytes).toBe(2 * 41_600_000);
    expect(cost.amplification).toBeCloseTo(51_600_000 / 83_200_000, 12);
    // Each query is billed on its own: 42 MB + the 10 MB minimum twice.
    expect(cost.billedBytes).toBe(42_000_000 + 10_000_000 + 10_000_000);
    expect(cost.usd).toBeCloseTo((62_000_000 / 1e12) * 5, 15);
    expect(cost.requestsInWindow).toBe(2000);
    expect(cost.newRequests).toBe(1000);
    expect(cost.usdPerMillionNewRequests).toBeCloseTo(cost.usd / 0.001, 12);
  });

  it("reads whole day partitions for an hourly window unless row groups can be skipped", () => {
    const cost = auditCost({
      plan: hourlyPlan(new Date("2026-02-18T12:00:00Z"), 3),
      compaction,
      queries,
      relations,
      requests: { window: 300, newData: 100 },
    });
    expect(cost.queries[0]?.scannedBytes).toBe(41_600_000);
    expect(cost.newRequests).toBe(100);
    // Row groups span the whole day here, so statistics cannot skip anything.
    expect(cost.scannedBytesRowGroupPruned).toBe(cost.scannedBytes);
  });

  it("projects linearly and re-applies the minimum per query", () => {
    const cost = auditCost({ plan: dailyPlan(end, 2), compaction, queries, relations });
    const ten = projectAudit(cost, 10);
    expect(ten.scannedBytes).toBe(cost.scannedBytes * 10);
    expect(ten.billedBytes).toBe(416_000_000 + 30_000_000 + 70_000_000);
  });
});

describe("hourlyDayCost", () => {
  it("prices 24 runs that each recompact the day so far and audit the last hours", () => {
    const hourlyRequests = new Map<string, number>();
    for (const day of DAYS) {
      for (let h = 0; h < 24; h++) hourlyRequests.set(`${day}T${String(h).padStart(2, "0")}:00:00Z`, 10);
    }
    const cost = hourlyDayCost({
      day: "2026-02-18",
      hours: 3,
      grain: "day",
      compaction,
      queries,
      relations,
      hourlyRequests,
    });
    // Compaction at the end of hour h reads (h+1)/24 of the day: 12.5 days of raw in all.
    expect(cost.compactionBytes).toBeCloseTo(12.5 * 41_600_000, 3);
    // The first two runs also read the whole previous day (their window starts before midnight).
    expect(cost.queryBytes).toBeCloseTo(14.5 * (1_500_000 + 3_500_000), 3);
    expect(cost.onePassRawBytes).toBe(41_600_000);
    expect(cost.amplification).toBeCloseTo((12.5 * 41_600_000 + 14.5 * 5_000_000) / 41_600_000, 9);
    expect(cost.requests).toBe(240);
    expect(cost.runs).toBe(24);
    expect(cost.perQueryBytes.length).toBe(24 * 3);

    // With hour partitions each run compacts one hour and audits three: one day of raw in all.
    const hourly = hourlyDayCost({
      day: "2026-02-18",
      hours: 3,
      grain: "hour",
      compaction,
      queries,
      relations,
      hourlyRequests,
    });
    expect(hourly.compactionBytes).toBeCloseTo(41_600_000, 3);
    expect(hourly.queryBytes).toBeCloseTo(3 * 5_000_000, 3);
  });
});
