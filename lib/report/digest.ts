import { SEVERITIES, severityRank } from "../domain/signal.ts";
import type { FindingsDocument } from "../findings/model.ts";
import type { Digest } from "../notify/port.ts";
import { singleLine, truncate } from "./safe.ts";
import { type AlertedFinding, renderSummary, type SummaryOptions } from "./summary.ts";

/** SNS rejects e-mail subjects over 100 characters or with line breaks. */
export const SUBJECT_MAX = 100;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The subject is built from counts, the severity enum and the date only (no attacker-controlled
 * text), e.g. `[distill-audit] HIGH: 3 new findings (1 cluster, 212 accounts) 2026-02-23`.
 */
export function digestSubject(document: FindingsDocument, alerts: readonly AlertedFinding[]): string {
  const highest = highestSeverity(alerts);
  const escalated = alerts.filter((a) => a.change === "escalated").length;
  const fresh = alerts.length - escalated;
  const what =
    escalated === 0
      ? `${plural(fresh, "new finding")}`
      : fresh === 0
        ? `${plural(escalated, "escalated finding")}`
        : `${fresh} new + ${escalated} escalated findings`;
  const clusters = alerts.filter((a) => a.finding.kind === "cluster").length;
  const accounts = new Set(alerts.flatMap((a) => a.finding.accounts)).size;
  const day = document.run.window_start.slice(0, 10);
  const subject = `[distill-audit] ${highest.toUpperCase()}: ${what} (${plural(clusters, "cluster")}, ${plural(accounts, "account")}) ${day}`;
  return truncate(singleLine(subject), SUBJECT_MAX);
}

function highestSeverity(alerts: readonly AlertedFinding[]): (typeof SEVERITIES)[number] {
  // A reduce, not Math.max(...spread): a run may alert on more findings than the stack has frames.
  const rank = alerts.reduce((r, a) => Math.max(r, severityRank(a.finding.severity)), 0);
  return SEVERITIES[rank] ?? "info";
}

/**
 * One digest for the run's alerting findings: subject, body (the bounded alert text) and the
 * attributes subscribers filter on (e.g. an SNS filter policy `severity_rank >= 3`). `digestId`
 * names the digest; a resend after a crash carries the id of the message it may repeat.
 */
export function buildDigest(
  document: FindingsDocument,
  alerts: readonly AlertedFinding[],
  options: Omit<SummaryOptions, "alerts">,
  digestId: string,
): Digest {
  const highest = highestSeverity(alerts);
  return {
    id: digestId,
    subject: digestSubject(document, alerts),
    body: renderSummary(document, { ...options, alerts }),
    attributes: {
      highest_severity: highest,
      severity_rank: severityRank(highest),
      new_findings: alerts.length,
      escalated_findings: alerts.filter((a) => a.change === "escalated").length,
      clusters: alerts.filter((a) => a.finding.kind === "cluster").length,
      accounts: new Set(alerts.flatMap((a) => a.finding.accounts)).size,
      run_id: truncate(singleLine(document.run.run_id), 200),
      window_start: document.run.window_start,
      digest_id: truncate(singleLine(digestId), 128),
    },
  };
}
