import type { AuditConfig } from "../config/config.ts";
import { skeletonHex } from "../detectors/explain.ts";
import { type AuditWindow, type QueryEngine, type QueryStats, windowParams } from "../engine/port.ts";
import type { Count, Evidence, SkeletonEvidence } from "./model.ts";

interface TotalsRow {
  [key: string]: string | number | null | string[];
  account_id: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  first_seen: string;
  last_seen: string;
  sample_request_ids: string[];
}

interface BreakdownRow {
  [key: string]: string | number | null;
  account_id: string;
  dimension: "skeleton" | "network" | "user_agent" | "model" | "hour";
  item: string;
  detail: string | null;
  requests: number;
}

export interface EvidenceSubject {
  readonly key: string;
  readonly accounts: readonly string[];
}

const TOP_N = 8;

/** Both engines' timestamp text ("2026-02-16 03:00:00[.000]") as ISO 8601 UTC. */
export function isoUtc(value: string): string {
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`).toISOString();
}

function top(counts: Map<string, number>, n: number): Count[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([key, requests]) => ({ key, requests }));
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/**
 * Gathers the evidence of every finding in two queries over the compact features: per-account
 * totals and per-account breakdowns, merged here per subject (an account or a cluster).
 */
export async function gatherEvidence(
  engine: QueryEngine,
  window: AuditWindow,
  subjects: readonly EvidenceSubject[],
  report: AuditConfig["report"],
): Promise<{ evidence: Map<string, Evidence>; stats: QueryStats[] }> {
  const accounts = [...new Set(subjects.flatMap((s) => s.accounts))].sort();
  const evidence = new Map<string, Evidence>();
  if (accounts.length === 0) return { evidence, stats: [] };
  const params = { ...windowParams(window), accounts, top_n: TOP_N };
  const [totals, breakdown] = await Promise.all([
    engine.run<TotalsRow>("evidence_totals", params),
    engine.run<BreakdownRow>("evidence_breakdown", params),
  ]);
  const totalsByAccount = new Map(totals.rows.map((r) => [r.account_id, r]));
  const breakdownByAccount = new Map<string, BreakdownRow[]>();
  for (const row of breakdown.rows) {
    const list = breakdownByAccount.get(row.account_id) ?? [];
    list.push(row);
    breakdownByAccount.set(row.account_id, list);
  }
  for (const subject of subjects) {
    let requests = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    let firstSeen: string | null = null;
    let lastSeen: string | null = null;
    const samples: string[] = [];
    const skeletons = new Map<string, { excerpt: string | null; requests: number; accounts: Set<string> }>();
    const dims = {
      network: new Map<string, number>(),
      user_agent: new Map<string, number>(),
      model: new Map<string, number>(),
    };
    const hourly = new Map<string, number>();
    for (const account of subject.accounts) {
      const t = totalsByAccount.get(account);
      if (t) {
        requests += t.requests;
        inputTokens += t.input_tokens;
        outputTokens += t.output_tokens;
        const first = isoUtc(t.first_seen);
        const last = isoUtc(t.last_seen);
        if (firstSeen === null || first < firstSeen) firstSeen = first;
        if (lastSeen === null || last > lastSeen) lastSeen = last;
        if (samples.length < 20) samples.push(...t.sample_request_ids.slice(0, 20 - samples.length));
      }
      for (const row of breakdownByAccount.get(account) ?? []) {
        if (row.dimension === "skeleton") {
          const hash = skeletonHex(row.item);
          const entry = skeletons.get(hash) ?? {
            excerpt: row.detail,
            requests: 0,
            accounts: new Set<string>(),
          };
          entry.requests += row.requests;
          entry.accounts.add(account);
          skeletons.set(hash, entry);
        } else if (row.dimension === "hour") {
          add(hourly, isoUtc(row.item), row.requests);
        } else {
          add(dims[row.dimension], row.item, row.requests);
        }
      }
    }
    const topSkeletons: SkeletonEvidence[] = [...skeletons]
      .sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0]))
      .slice(0, TOP_N)
      .map(([hash, s]) => ({
        hash,
        excerpt: report.excerpts && s.excerpt !== null ? s.excerpt.slice(0, report.excerpt_chars) : null,
        requests: s.requests,
        accounts: s.accounts.size,
      }));
    evidence.set(subject.key, {
      requests,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      first_seen: firstSeen,
      last_seen: lastSeen,
      sample_request_ids: samples,
      top_skeletons: topSkeletons,
      networks: top(dims.network, TOP_N),
      user_agents: top(dims.user_agent, TOP_N),
      models: top(dims.model, TOP_N),
      hourly: [...hourly]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([hour, n]) => ({ hour, requests: n })),
    });
  }
  return { evidence, stats: [totals.stats, breakdown.stats] };
}
