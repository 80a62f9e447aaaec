import { createHash } from "node:crypto";
import type { AuditConfig } from "../config/config.ts";
import type { Cluster } from "../detectors/types.ts";
import type { AccountScore } from "../scoring/fuse.ts";
import { severityFor } from "../scoring/fuse.ts";
import type { Evidence, Finding, Severity, Signal } from "./model.ts";

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

export function whyLine(signals: readonly Signal[]): string {
  const fired = signals.filter((s) => s.fired).slice(0, 3);
  return fired.length === 0 ? "no signal fired" : fired.map((s) => s.explanation).join("; ");
}

/** Account findings for every scored account at or above the `low` cut-off (or allowlisted, as info). */
export function accountFindings(
  scores: Iterable<AccountScore>,
  config: AuditConfig,
): Omit<Finding, "evidence" | "runbook">[] {
  const allowlisted = new Set(config.allowlist.accounts);
  const findings: Omit<Finding, "evidence" | "runbook">[] = [];
  for (const { account, score, signals } of scores) {
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
      signals,
      links: [],
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
