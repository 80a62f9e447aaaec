import type { AuditConfig, ScoringConfig } from "../config/config.ts";
import type { Cluster, Signal } from "../domain/signal.ts";
import { groupBy } from "../group.ts";
import type { AccountScore, Fused } from "./fuse.ts";
import { fuseByAxis, repeated } from "./fuse.ts";

type ClusterScoring = ScoringConfig["cluster"];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The tells the members share: for each member signal, the median contribution across members
 * (members without it count as zero, so the median needs it on at least half of them). The value
 * is the share of members on which it fired.
 *
 * A harvest tell is judged only on the members its detector measured when enough of them were
 * measured and they agree: small heads below a detector's volume floor say nothing either way, so
 * when at least `consensus_min_measured` measured members exist and the tell fired on at least
 * half of them, the median runs over the measured members and the unmeasured ones inherit that
 * verdict. Automation and coordination tells are judged on every member: a head too small to
 * measure is not busy.
 */
export function memberConsensus(
  cluster: Cluster,
  scores: ReadonlyMap<string, AccountScore>,
  c: ClusterScoring,
): Signal[] {
  const byName = groupBy(
    cluster.accounts.flatMap((account) => scores.get(account)?.signals ?? []),
    (signal) => `${signal.detector}/${signal.name}`,
  );
  const members = cluster.accounts.length;
  const consensus: Signal[] = [];
  for (const list of byName.values()) {
    const example = list.find((s) => s.fired) ?? (list[0] as Signal);
    const firedCount = list.filter((s) => s.fired).length;
    const measuredAgree =
      example.axis === "harvest" &&
      list.length < members &&
      list.length >= c.consensus_min_measured &&
      firedCount >= c.alike_from * list.length;
    const judged = measuredAgree ? list.length : members;
    const contributions = [...list.map((s) => s.contribution), ...Array(judged - list.length).fill(0)];
    const middle = median(contributions);
    const firedShare = firedCount / judged;
    const whom = measuredAgree ? `measured members (${list.length} of ${members})` : "members";
    consensus.push({
      ...example,
      value: Math.round(firedShare * 1000) / 1000,
      threshold: 0.5,
      contribution: middle,
      fired: middle > 0,
      explanation: `${Math.round(firedShare * 100)}% of ${whom}: ${example.explanation}`,
    });
  }
  return consensus.sort((a, b) => b.contribution - a.contribution);
}

/**
 * How many independent observations a harvest tell shared by the members counts as: one, plus
 * `observations_per_doubling` per doubling of the members it fired on, scaled by how alike the
 * members are on it (none at `alike_from` of them, fully at `alike_full`), and only when the
 * typical member is already mildly suspicious on its own. Members count only as far as one
 * operator's infrastructure (card, sign-up burst, network) ties them together: users of one public
 * tool share its templates and its tells, but they are independent people, not one operator's
 * repeated accounts. A campus where a third of the students ask for step-by-step answers gains
 * nothing; forty clones on one card that all carry the same five mild tells gain a lot.
 */
export function observations(
  firedShare: number,
  members: number,
  medianMemberScore: number,
  c: ClusterScoring,
  infrastructureShare = 1,
): number {
  if (medianMemberScore < c.amplify_min_member_score) return 1;
  const alike = Math.min(1, Math.max(0, (firedShare - c.alike_from) / (c.alike_full - c.alike_from)));
  const fired = firedShare * members * Math.min(1, Math.max(0, infrastructureShare));
  const extra = c.observations_per_doubling * Math.log2(Math.max(1, fired / 2));
  return Math.min(c.max_observations, 1 + alike * extra);
}

/**
 * Fuses a cluster's evidence: its own signals and its members' consensus, harvest tells amplified
 * by how many alike members share them, then fused by axis like an account's (each axis capped,
 * medium only with harvest evidence beside another axis).
 */
export function scoreCluster(
  cluster: Cluster,
  own: readonly Signal[],
  scores: ReadonlyMap<string, AccountScore>,
  config: Pick<AuditConfig, "scoring" | "severity">,
): Fused {
  const c = config.scoring.cluster;
  const members = cluster.accounts.length;
  const memberScore = median(cluster.accounts.map((a) => scores.get(a)?.score ?? 0));
  // Without the linkage stage's measurement (hand-built clusters), every member counts.
  const infrastructure = cluster.infrastructureShare ?? 1;
  const consensus = memberConsensus(cluster, scores, c).map((signal) => {
    if (!signal.fired || signal.axis !== "harvest") return signal;
    const k = observations(signal.value, members, memberScore, c, infrastructure);
    if (k <= 1.01) return signal;
    const fired = Math.round(signal.value * members * Math.min(1, infrastructure));
    return {
      ...signal,
      contribution: repeated(signal.contribution, k),
      explanation: `${signal.explanation} (counted as ${k.toFixed(1)} observations: ${fired} alike members on shared infrastructure)`,
    };
  });
  return fuseByAxis([...own, ...consensus], config.scoring, config.severity);
}
