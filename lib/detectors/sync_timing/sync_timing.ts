import { z } from "zod";
import type { Cluster, ClusterSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { groupBy } from "../../group.ts";
import { measure } from "../../scoring/signal.ts";
import { count, pct } from "../explain.ts";
import { clusterMembers } from "../linkage/params.ts";
import { defineDetector } from "../types.ts";

interface SyncRow {
  [key: string]: string | number | null;
  cluster_id: string;
  shared_hours: number;
  covariance: number;
  scale: number;
  requests: number;
  max_active_members: number;
}

interface CycleRow {
  [key: string]: string | number | null;
  cluster_id: string;
  account_id: string;
  requests: number;
  transitions: number;
  switches: number;
  usual_successor: string | null;
  top_successor: number;
}

export const syncTiming = defineDetector({
  id: "sync_timing",
  title: "Synchronized timing inside a cluster",
  stage: "cluster",
  rationale:
    "One controller feeding many accounts leaves a timing fingerprint: the accounts speed up, pause " +
    "and resume in the same minutes, and a dispatcher that spreads requests to stay under per-account " +
    "rate limits hands them out in a fixed rotation. People sharing a network or a card act on their " +
    "own clocks. The detector measures, per linked cluster, the correlation of members' per-minute " +
    "activity within each hour, and how often each member's request is followed by the same other member.",
  benignLookalikes:
    "A campus or office behind one NAT is busy at the same hours of the day, but that is the day's " +
    "rhythm: conditioning on the hour removes it, and within the hour independent people do not fire " +
    "in the same minutes. Two people working side by side can alternate, so rotation needs at least " +
    "three members and is compared with the order a random interleaving of the same members would " +
    "give. A legitimate reseller or gateway that spreads its own customers over several accounts can " +
    "rotate too; timing proves one operator, not distillation, and weighs accordingly (cluster " +
    "scoring caps operational tells below medium without content tells).",
  runbook: [
    "Open the cluster's hourly chart and a few minutes of its requests: do members start and stop together?",
    "List the members' requests in time order for one busy hour and look for a fixed rotation of accounts.",
    "Compare with the members' stated use: one application rotating its own keys is a contract question; unrelated sign-ups rotating together is evasion.",
  ],
  thresholds: z
    .object({
      /** Clusters with fewer requests in the window are not measured (too few minutes to judge). */
      min_requests: z.number().int().min(1).default(60),
      /** Hours in which at least two members were active; fewer cannot separate rhythm from coordination. */
      min_shared_hours: z.number().int().min(1).default(3),
      /** Mean within-hour pairwise correlation of per-minute requests: fires, saturates. */
      correlation: z.number().min(0).max(1).default(0.25),
      correlation_saturation: z.number().min(0).max(1).default(0.7),
      /** Rotation: members with at least this many hand-overs to another member count... */
      min_switches: z.number().int().min(1).default(10),
      /** ...and at least this many such members make a rotation. */
      min_rotating_members: z.number().int().min(2).default(3),
      /**
       * Share of hand-overs going to each member's usual successor, minus the share a random
       * interleaving of the same members would give: fires, saturates.
       */
      rotation_lift: z.number().min(0).max(1).default(0.35),
      rotation_lift_saturation: z.number().min(0).max(1).default(0.75),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const clusters = context.clusters;
    if (clusters.length === 0) return { accountSignals: [], clusterSignals: [], stats: [] };
    const params = { ...windowParams(context.window), ...clusterMembers(clusters) };
    const [sync, cycle] = await Promise.all([
      context.engine.run<SyncRow>("detector_sync_timing", params),
      context.engine.run<CycleRow>("detector_sync_timing_cycle", params),
    ]);
    const sizes = new Map(clusters.map((c) => [c.id, c.accounts.length]));
    const clusterSignals: ClusterSignal[] = [];
    for (const row of sync.rows) {
      if (row.requests < t.min_requests || row.shared_hours < t.min_shared_hours || row.scale <= 0) continue;
      const correlation = row.covariance / row.scale;
      clusterSignals.push({
        cluster: row.cluster_id,
        signal: measure({
          detector: "sync_timing",
          name: "minute_synchrony",
          axis: "coordination",
          facet: "synchrony",
          value: correlation,
          threshold: t.correlation,
          saturation: t.correlation_saturation,
          weight: 0.25,
          explanation: `members' per-minute activity correlates at ${(Math.abs(correlation) < 0.005 ? 0 : correlation).toFixed(2)} within the hour (independent users: about 0) over ${count(row.shared_hours)} hours with 2+ of ${count(sizes.get(row.cluster_id) ?? 0)} members active`,
        }),
      });
    }
    clusterSignals.push(...rotationSignals(clusters, cycle.rows, t));
    return { accountSignals: [], clusterSignals, stats: [sync.stats, cycle.stats] };
  },
});

type Thresholds = z.infer<typeof syncTiming.thresholds>;

/**
 * Members that sit on a rotation through at least three accounts: following each member's usual
 * successor leads back to it in three or more steps. Two people taking turns make two-cycles (when
 * only they are active, each one's successor is forced to be the other); a dispatcher makes one
 * long cycle.
 */
export function onRotation(usual: ReadonlyMap<string, string>): Set<string> {
  const rotating = new Set<string>();
  for (const start of usual.keys()) {
    let node = usual.get(start);
    for (let steps = 1; node !== undefined && steps <= usual.size; steps++) {
      if (node === start) {
        if (steps >= 3) rotating.add(start);
        break;
      }
      node = usual.get(node);
    }
  }
  return rotating;
}

/**
 * Rotation: the share of hand-overs (a member's request followed by another member's) that go to
 * the member's usual successor along a rotation of three or more members, against what a random
 * interleaving with the same members' shares gives (the largest other member's share of the rest).
 */
function rotationSignals(
  clusters: readonly Cluster[],
  rows: readonly CycleRow[],
  t: Thresholds,
): ClusterSignal[] {
  const byCluster = groupBy(rows, (row) => row.cluster_id);
  const signals: ClusterSignal[] = [];
  for (const cluster of clusters) {
    const members = byCluster.get(cluster.id) ?? [];
    const total = members.reduce((n, r) => n + r.requests, 0);
    const measured = members.filter((r) => r.switches >= t.min_switches);
    if (measured.length < t.min_rotating_members || total === 0) continue;
    const usual = new Map<string, string>();
    for (const row of measured)
      if (row.usual_successor !== null) usual.set(row.account_id, row.usual_successor);
    const rotating = onRotation(usual);
    const shares = members.map((r) => r.requests / total).sort((a, b) => b - a);
    let switches = 0;
    let toUsual = 0;
    let expected = 0;
    for (const row of measured) {
      const own = row.requests / total;
      // The largest other member: the top share, unless it is this member's own.
      const largestOther = (shares[0] as number) === own ? (shares[1] ?? 0) : (shares[0] as number);
      switches += row.switches;
      if (rotating.has(row.account_id)) toUsual += row.top_successor;
      expected += row.switches * Math.min(1, largestOther / Math.max(1e-9, 1 - own));
    }
    const observed = toUsual / switches;
    const chance = expected / switches;
    signals.push({
      cluster: cluster.id,
      signal: measure({
        detector: "sync_timing",
        name: "round_robin",
        axis: "coordination",
        facet: "synchrony",
        value: observed - chance,
        threshold: t.rotation_lift,
        saturation: t.rotation_lift_saturation,
        weight: 0.2,
        explanation: `${pct(observed)} of hand-overs between ${count(measured.length)} members follow a fixed rotation through ${count(rotating.size)} of them (random order: ${pct(chance)} to the usual successor), over ${count(switches)} hand-overs`,
      }),
    });
  }
  return signals;
}
