import type { Severity } from "../domain/signal.ts";
import { atLeast, SEVERITIES } from "../domain/signal.ts";
import type { Finding, FindingsDocument } from "../findings/model.ts";
import { singleLine, truncate } from "./safe.ts";

/** A finding that alerts in this run, and why: first seen, or seen before at a lower severity. */
export interface AlertedFinding {
  readonly finding: Finding;
  readonly change: "new" | "escalated";
  /** The highest severity it alerted at before, for escalations. */
  readonly previous: Severity | null;
}

export interface SummaryOptions {
  /** Where the full report is: the store's locate() of report.html. */
  readonly reportUri: string;
  readonly consoleLink?: string | undefined;
  readonly minSeverity: Severity;
  readonly maxFindings: number;
  /** Upper bound of the UTF-8 size of the text; findings that do not fit become "and N more". */
  readonly maxBytes?: number;
  /**
   * The findings alerting in this run (the e-mail body lists them first). Absent for summary.txt,
   * which must not depend on alert state so that re-running a window rewrites nothing.
   */
  readonly alerts?: readonly AlertedFinding[];
}

export const SUMMARY_MAX_BYTES = 8000;

/** Attacker-controlled text in a plain-text alert: one line, no control characters, bounded. */
function text(value: string, max: number): string {
  // Cut first (with room for what sanitizing removes), so a 100k-character value costs nothing.
  return truncate(singleLine(truncate(value, max * 4 + 64)), max);
}

const number = (n: number): string => n.toLocaleString("en-US");
const minute = (iso: string | null): string => (iso === null ? "?" : `${iso.slice(0, 16).replace("T", " ")}`);
const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

function plural(n: number, word: string): string {
  return `${number(n)} ${word}${n === 1 ? "" : "s"}`;
}

function severityCounts(findings: readonly Finding[]): string {
  return [...SEVERITIES]
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
}

/**
 * One finding as a block of lines. Deliberately absent: prompt text, template excerpts, user
 * agents and link values (a system_prompt link's value is prompt text); only hashes and counts.
 */
function findingBlock(index: number, finding: Finding, label: string): string {
  const e = finding.evidence;
  const lines = [
    `${index}. ${finding.severity.toUpperCase()}${label} ${text(finding.title, 100)} (score ${finding.score.toFixed(2)})`,
    `   Subject: ${text(finding.subject, 120)}`,
    `   Why: ${text(finding.why, 300)}`,
    `   Numbers: ${plural(finding.accounts.length, "account")}, ${plural(e.requests, "request")}, ` +
      `${number(e.output_tokens)} output tokens, ${minute(e.first_seen)} to ${minute(e.last_seen)} UTC`,
  ];
  if (finding.links.length > 0) {
    lines.push(
      `   Linked by: ${finding.links
        .slice(0, 4)
        .map((l) => `${l.trait} (${plural(l.accounts, "account")})`)
        .join(", ")}`,
    );
  }
  if (e.top_skeletons.length > 0) {
    lines.push(
      `   Templates: ${e.top_skeletons
        .slice(0, 3)
        .map(
          (s) => `${text(s.hash, 32)} (${plural(s.requests, "request")}, ${plural(s.accounts, "account")})`,
        )
        .join("; ")}`,
    );
  }
  if (finding.kind === "cluster") {
    const shown = finding.accounts.slice(0, 3).map((a) => text(a, 40));
    const rest = finding.accounts.length - shown.length;
    lines.push(`   Accounts: ${shown.join(", ")}${rest > 0 ? ` and ${number(rest)} more` : ""}`);
  }
  lines.push(`   Action: ${text(finding.recommended_action, 200)}`);
  lines.push(`   Finding id: ${text(finding.id, 80)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The alert text: the e-mail body of the digest, and summary.txt in the bundle. New or escalated
 * findings come first; the size is bounded and the overflow is counted ("and N more").
 */
export function renderSummary(document: FindingsDocument, options: SummaryOptions): string {
  const maxBytes = options.maxBytes ?? SUMMARY_MAX_BYTES;
  const { run, findings, data_quality: quality } = document;
  const notable = findings.filter((f) => atLeast(f.severity, options.minSeverity));
  const alerts = options.alerts;
  const alerting = new Set((alerts ?? []).map((a) => a.finding.id));

  const header = [
    `distill-audit run ${text(run.run_id, 120)}`,
    `Window: ${minute(run.window_start)} to ${minute(run.window_end)} UTC (engine ${run.engine})`,
    `Audited: ${plural(quality.requests_accepted, "request")}, ${number(quality.requests_read - quality.requests_accepted)} set aside`,
    `Findings: ${notable.length === 0 ? "none" : severityCounts(notable)} at or above ${options.minSeverity}` +
      ` (${plural(findings.length, "finding")} in all)`,
  ];
  if (alerts !== undefined) {
    const escalated = alerts.filter((a) => a.change === "escalated").length;
    header.push(`Alerting: ${number(alerts.length - escalated)} new, ${number(escalated)} escalated`);
  }
  header.push(`Full report: ${text(options.reportUri, 500)}`);
  if (options.consoleLink) header.push(`Console: ${text(options.consoleLink, 500)}`);
  const head = `${header.join("\n")}\n`;
  const foot =
    "\nFindings list skeleton hashes and counts only; prompt text and excerpts are in the report.\n";

  const blocks: string[] = [];
  if (alerts !== undefined) {
    for (const a of alerts) {
      const label = a.change === "new" ? " (new)" : ` (escalated from ${a.previous ?? "lower"})`;
      blocks.push(findingBlock(blocks.length + 1, a.finding, label));
    }
  }
  const others = notable.filter((f) => !alerting.has(f.id));
  const othersLabel = alerts !== undefined ? " (alerted before)" : "";
  for (const f of others) blocks.push(findingBlock(blocks.length + 1, f, othersLabel));

  let body = head;
  let shown = 0;
  for (const block of blocks) {
    const rest = blocks.length - shown - 1;
    const reserve = rest > 0 ? 80 : 0;
    if (shown >= options.maxFindings || bytes(body) + 1 + bytes(block) + reserve + bytes(foot) > maxBytes) {
      break;
    }
    body += `\n${block}`;
    shown += 1;
  }
  if (shown < blocks.length) body += `\n… and ${number(blocks.length - shown)} more (see the full report)\n`;
  body += foot;
  // The header alone could exceed a tiny bound; the bound is a promise, so cut in the last resort.
  return bytes(body) <= maxBytes ? body : `${truncateBytes(body, maxBytes - 4)}…\n`;
}

function truncateBytes(value: string, max: number): string {
  let out = "";
  let size = 0;
  for (const ch of value) {
    size += bytes(ch);
    if (size > max) break;
    out += ch;
  }
  return out;
}
