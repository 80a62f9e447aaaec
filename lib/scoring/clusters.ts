import type { AuditConfig } from "../config/config.ts";
import { INFRASTRUCTURE_SIGNAL } from "../detectors/linkage/components.ts";
import type { Cluster, ClusterSignal } from "../detectors/types.ts";
import { clusterFindingId, RECOMMENDED_ACTION, whyLine } from "../findings/assemble.ts";
import type { ClusterLink, Finding, Severity, Signal } from "../findings/model.ts";
import { groupBy } from "../group.ts";
import type { AccountScore } from "./fuse.ts";
import { noisyOr, severityFor } from "./fuse.ts";

/**
 * How a cluster's evidence is weighed. Two families:
 *
 * - Operational tells say the accounts are one busy, automated operator: volume, cadence, timing,
 *   a shared card, the cluster's combined size. A legitimate reseller, a startup with staging and
 *   production accounts, a company's gateway all have them. Together they are capped below the
 *   medium cut-off: without a content tell, one operator is not a distillation campaign.
 * - Content tells say what the traffic is for: templates, reasoning elicitation, dataset shape,
 *   output maximisation, capability targeting, the model pivot, abused access paths. When the same
 *   content tell repeats across many linked accounts that each already look mildly suspicious, it
 *   counts as several independent observations, not one: that is how a hydra whose every head is
 *   mild reaches high or critical.
 */
export const CLUSTER_SCORING = {
  /** Detector ids, or detector/signal names, whose tells are operational. */
  operational: [
    "volume",
    "cadence",
    "sync_timing",
    "linkage/shared_payment_method",
    "linkage/shared_infrastructure",
    "linkage/cluster_volume",
  ] as readonly string[],
  /** The most all operational tells together add to a cluster's score (below medium, 0.45). */
  operationalCap: 0.35,
  /** Content tells are amplified only when the median member already scores this much alone. */
  amplifyMinMemberScore: 0.2,
  /** Share of members a tell must fire on to start being amplified, and to be amplified fully. */
  alikeFrom: 0.5,
  alikeFull: 0.9,
  /** Each doubling of the members sharing a tell (beyond two) adds this many observations... */
  observationsPerDoubling: 0.5,
  /** ...up to this many in all. */
  maxObservations: 4,
  /**
   * Measured members a content tell needs before the members its detector did not measure (below
   * its volume floor) inherit the measured members' verdict instead of counting as zero.
   */
  consensusMinMeasured: 3,
} as const;

function isOperational(signal: Signal): boolean {
  return (
    CLUSTER_SCORING.operational.includes(signal.detector) ||
    CLUSTER_SCORING.operational.includes(`${signal.detector}/${signal.name}`)
  );
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Contribution c counted as k independent observations: 1 - (1 - c)^k. */
function repeated(contribution: number, k: number): number {
  return round(1 - (1 - contribution) ** k);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The tells the members share: for each member signal, the median contribution across members
 * (members without it count as zero, so the median needs it on at least half of them). The value
 * is the share of members on which it fired.
 *
 * A content tell is judged only on the members its detector measured when enough of them were
 * measured and they agree: small heads below a detector's volume floor say nothing either way, so
 * when at least `consensusMinMeasured` measured members exist and the tell fired on at least half
 * of them, the median runs over the measured members and the unmeasured ones inherit that verdict.
 */
export function memberConsensus(cluster: Cluster, scores: ReadonlyMap<string, AccountScore>): Signal[] {
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
      !isOperational(example) &&
      list.length < members &&
      list.length >= CLUSTER_SCORING.consensusMinMeasured &&
      firedCount >= CLUSTER_SCORING.alikeFrom * list.length;
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
 * How many independent observations a content tell shared by the members counts as: one, plus
 * half an observation per doubling of the members it fired on, scaled by how alike the members
 * are on it (none at half of them, fully at 90%), and only when the typical member is already
 * mildly suspicious on its own. Members count only as far as one operator's infrastructure (card,
 * sign-up burst, network) ties them together: users of one public tool share its templates and
 * its tells, but they are independent people, not one operator's repeated accounts. A campus
 * where a third of the students ask for step-by-step answers gains nothing; forty clones on one
 * card that all carry the same five mild tells gain a lot.
 */
export function observations(
  firedShare: number,
  members: number,
  medianMemberScore: number,
  infrastructureShare = 1,
): number {
  const s = CLUSTER_SCORING;
  if (medianMemberScore < s.amplifyMinMemberScore) return 1;
  const alike = Math.min(1, Math.max(0, (firedShare - s.alikeFrom) / (s.alikeFull - s.alikeFrom)));
  const fired = firedShare * members * Math.min(1, Math.max(0, infrastructureShare));
  const extra = s.observationsPerDoubling * Math.log2(Math.max(1, fired / 2));
  return Math.min(s.maxObservations, 1 + alike * extra);
}

/**
 * Fuses a cluster's evidence: its own signals and its members' consensus, content tells amplified
 * by how many alike members share them, operational tells capped together. Every signal's
 * contribution is what it adds after that, so the score stays the noisy-OR of the list.
 */
export function scoreCluster(
  cluster: Cluster,
  own: readonly Signal[],
  scores: ReadonlyMap<string, AccountScore>,
): { score: number; signals: Signal[] } {
  const members = cluster.accounts.length;
  const memberScore = median(cluster.accounts.map((a) => scores.get(a)?.score ?? 0));
  // Without the linkage stage's measurement (hand-built clusters), every member counts.
  const infrastructure =
    own.find((s) => s.detector === "linkage" && s.name === INFRASTRUCTURE_SIGNAL)?.value ?? 1;
  const consensus = memberConsensus(cluster, scores).map((signal) => {
    if (!signal.fired || isOperational(signal)) return signal;
    const k = observations(signal.value, members, memberScore, infrastructure);
    if (k <= 1.01) return signal;
    const fired = Math.round(signal.value * members * Math.min(1, infrastructure));
    return {
      ...signal,
      contribution: repeated(signal.contribution, k),
      explanation: `${signal.explanation} (counted as ${k.toFixed(1)} observations: ${fired} alike members on shared infrastructure)`,
    };
  });
  const signals = [...own, ...consensus];
  const operational = signals.filter((s) => s.fired && isOperational(s));
  const together = noisyOr(operational.map((s) => s.contribution));
  const cap = CLUSTER_SCORING.operationalCap;
  const capped =
    together <= cap
      ? signals
      : signals.map((s) => {
          if (!s.fired || !isOperational(s)) return s;
          // Scale every operational tell alike so that together they add exactly the cap.
          const beta = Math.log(1 - cap) / Math.log(1 - together);
          return {
            ...s,
            contribution: repeated(s.contribution, beta),
            explanation: `${s.explanation} (operational tells capped at ${cap} together)`,
          };
        });
  capped.sort((a, b) => b.contribution - a.contribution || a.name.localeCompare(b.name));
  return { score: noisyOr(capped.filter((s) => s.fired).map((s) => s.contribution)), signals: capped };
}

const TRAIT_NOUN: Record<ClusterLink["trait"], string> = {
  payment_fingerprint: "payment method",
  network_hour: "client network",
  user_agent: "user agent",
  skeleton: "prompt template",
  system_prompt: "system prompt",
  signup_burst: "sign-up burst",
};

function subject(accounts: number, dormant: number, links: readonly ClusterLink[]): string {
  const link = links[0];
  const size = dormant > 0 ? `${accounts} active and ${dormant} dormant accounts` : `${accounts} accounts`;
  return link ? `cluster of ${size} linked by ${TRAIT_NOUN[link.trait]} ${link.value}` : `cluster of ${size}`;
}

export function clusterFindings(
  clusters: readonly Cluster[],
  clusterSignals: readonly ClusterSignal[],
  scores: ReadonlyMap<string, AccountScore>,
  config: AuditConfig,
): Omit<Finding, "evidence" | "runbook">[] {
  const allowlisted = new Set(config.allowlist.accounts);
  const findings: Omit<Finding, "evidence" | "runbook">[] = [];
  for (const cluster of clusters) {
    const accounts = cluster.accounts.filter((a) => !allowlisted.has(a));
    if (accounts.length < 2) continue;
    const dormant = (cluster.dormant ?? []).filter((a) => !allowlisted.has(a));
    const own = clusterSignals.filter((s) => s.cluster === cluster.id).map((s) => s.signal);
    // Dormant members sent nothing to measure: they join the finding, not the consensus.
    const { score, signals } = scoreCluster({ ...cluster, accounts }, own, scores);
    const severity: Severity | null = severityFor(score, config.severity);
    if (severity === null) continue;
    const id = clusterFindingId(cluster);
    findings.push({
      id,
      dedup_key: id,
      kind: "cluster",
      subject: subject(accounts.length, dormant.length, cluster.links),
      severity,
      score,
      title: `Linked cluster of ${accounts.length + dormant.length} accounts`,
      why: whyLine(signals),
      accounts: [...accounts, ...dormant].sort(),
      signals,
      links: [...cluster.links],
      recommended_action: RECOMMENDED_ACTION[severity],
    });
  }
  return findings;
}
