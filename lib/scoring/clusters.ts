import type { AuditConfig } from "../config/config.ts";
import type { Cluster, ClusterSignal } from "../detectors/types.ts";
import { clusterFindingId, RECOMMENDED_ACTION, whyLine } from "../findings/assemble.ts";
import type { Finding, Severity, Signal } from "../findings/model.ts";
import type { AccountScore } from "./fuse.ts";
import { noisyOr, severityFor } from "./fuse.ts";

/**
 * A cluster's score fuses its own signals (shared traits, synchronized timing, pivots) with the
 * tells its members share: for each member signal, the median contribution across members. A
 * hydra whose every account looks mild alone still scores high when the same tells repeat across
 * hundreds of linked accounts.
 */
export function memberConsensus(cluster: Cluster, scores: ReadonlyMap<string, AccountScore>): Signal[] {
  const byName = new Map<string, Signal[]>();
  for (const account of cluster.accounts) {
    for (const signal of scores.get(account)?.signals ?? []) {
      const key = `${signal.detector}/${signal.name}`;
      byName.set(key, [...(byName.get(key) ?? []), signal]);
    }
  }
  const members = cluster.accounts.length;
  const consensus: Signal[] = [];
  for (const list of byName.values()) {
    // Members without the signal count as zero, so the median needs it on at least half of them.
    const contributions = [...list.map((s) => s.contribution), ...Array(members - list.length).fill(0)].sort(
      (a, b) => a - b,
    );
    const median = contributions[Math.floor(members / 2)] ?? 0;
    const firedShare = list.filter((s) => s.fired).length / members;
    const example = list.find((s) => s.fired) ?? (list[0] as Signal);
    consensus.push({
      ...example,
      value: Math.round(firedShare * 1000) / 1000,
      threshold: 0.5,
      contribution: median,
      fired: median > 0,
      explanation: `${Math.round(firedShare * 100)}% of members: ${example.explanation}`,
    });
  }
  return consensus.sort((a, b) => b.contribution - a.contribution);
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
    const own = clusterSignals.filter((s) => s.cluster === cluster.id).map((s) => s.signal);
    const signals = [...own, ...memberConsensus({ ...cluster, accounts }, scores)].sort(
      (a, b) => b.contribution - a.contribution,
    );
    const score = noisyOr(signals.filter((s) => s.fired).map((s) => s.contribution));
    const severity: Severity | null = severityFor(score, config.severity);
    if (severity === null) continue;
    const id = clusterFindingId(cluster);
    findings.push({
      id,
      dedup_key: id,
      kind: "cluster",
      subject: `cluster of ${accounts.length} accounts linked by ${cluster.links[0]?.trait ?? "shared traits"}`,
      severity,
      score,
      title: `Linked cluster of ${accounts.length} accounts`,
      why: whyLine(signals),
      accounts: [...accounts].sort(),
      signals,
      links: [...cluster.links],
      recommended_action: RECOMMENDED_ACTION[severity],
    });
  }
  return findings;
}
