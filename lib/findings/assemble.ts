import { createHash } from "node:crypto";
import type { AuditConfig } from "../config/config.ts";
import type { Cluster, ClusterLink, ClusterSignal, Severity, Signal } from "../domain/signal.ts";
import { scoreCluster } from "../scoring/clusters.ts";
import type { AccountScore } from "../scoring/fuse.ts";
import { severityFor } from "../scoring/fuse.ts";
import type { Evidence, Finding } from "./model.ts";

export const RECOMMENDED_ACTION: Record<Severity, string> = {
  critical:
    "Act now: suspend or throttle the accounts pending review, preserve their logs, and check every linked account.",
  high: "Review within a day: rate-limit, require verification, and examine the linked accounts and payment methods.",
  medium: "Review the evidence this week; watch the accounts and their links in the next audits.",
  low: "No action; recorded for context and trends.",
  info: "Allowlisted: recorded for the audit trail only.",
};

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Account findings keep their id across windows because it depends only on the account. */
export function accountFindingId(account: string): string {
  return `acct-${shortHash(`account:${account}`)}`;
}

export function clusterFindingId(cluster: Cluster): string {
  return `clus-${shortHash(`cluster:${cluster.id}`)}`;
}

/** The strongest reasons: the three fired signals that add most (one counted with its facet adds nothing). */
export function whyLine(signals: readonly Signal[]): string {
  const fired = signals.filter((s) => s.fired && s.contribution > 0).slice(0, 3);
  return fired.length === 0 ? "no signal fired" : fired.map((s) => s.explanation).join("; ");
}

/** Account findings for every scored account at or above the `low` cut-off (or allowlisted, as info). */
export function accountFindings(
  scores: Iterable<AccountScore>,
  config: AuditConfig,
): Omit<Finding, "evidence" | "runbook">[] {
  const allowlisted = new Set(config.allowlist.accounts);
  const findings: Omit<Finding, "evidence" | "runbook">[] = [];
  for (const { account, score, signals, axes, gate } of scores) {
    const severity = severityFor(score, config.severity);
    if (severity === null) continue;
    const finalSeverity: Severity = allowlisted.has(account) ? "info" : severity;
    const id = accountFindingId(account);
    findings.push({
      id,
      dedup_key: id,
      kind: "account",
      subject: account,
      severity: finalSeverity,
      score,
      title: `Account ${account}`,
      why: whyLine(signals),
      accounts: [account],
      context_accounts: [],
      axes,
      gate,
      signals,
      links: [],
      attachments: [],
      recommended_action: RECOMMENDED_ACTION[finalSeverity],
    });
  }
  return findings;
}

export function withEvidence(
  draft: Omit<Finding, "evidence" | "runbook">,
  evidence: Evidence | undefined,
  runbooks: ReadonlyMap<string, readonly string[]>,
): Finding {
  const detectors = [...new Set(draft.signals.filter((s) => s.fired).map((s) => s.detector))];
  const runbook = [...new Set(detectors.flatMap((d) => runbooks.get(d) ?? []))];
  return {
    ...draft,
    evidence: evidence ?? {
      requests: 0,
      input_tokens: 0,
      output_tokens: 0,
      first_seen: null,
      last_seen: null,
      sample_request_ids: [],
      top_skeletons: [],
      networks: [],
      user_agents: [],
      models: [],
      hourly: [],
    },
    runbook,
  };
}

const TRAIT_NOUN: Record<ClusterLink["trait"], string> = {
  payment_fingerprint: "payment method",
  network_hour: "client network",
  user_agent: "user agent",
  skeleton: "prompt template",
  system_prompt: "system prompt",
  signup_burst: "sign-up burst",
  disposable_heads: "disposable heads on template",
};

function subject(accounts: number, dormant: number, links: readonly ClusterLink[]): string {
  const link = links[0];
  const size = dormant > 0 ? `${accounts} active and ${dormant} dormant accounts` : `${accounts} accounts`;
  return link ? `cluster of ${size} linked by ${TRAIT_NOUN[link.trait]} ${link.value}` : `cluster of ${size}`;
}

/**
 * Cluster findings for every linked cluster of two or more accounts that scores at least `low`.
 * Members tied in too weakly (the cluster's context) are measured neither in its score nor
 * flagged by it: they are listed beside it and judged on their own findings.
 */
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
    const { score, signals, axes, gate } = scoreCluster({ ...cluster, accounts }, own, scores, config);
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
      context_accounts: (cluster.context ?? []).filter((a) => !allowlisted.has(a)),
      axes,
      gate,
      signals,
      links: [...cluster.links],
      attachments: (cluster.attachments ?? []).filter((a) => !allowlisted.has(a.account)),
      recommended_action: RECOMMENDED_ACTION[severity],
    });
  }
  return findings;
}
