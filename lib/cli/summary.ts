import type { Severity } from "../domain/signal.ts";
import { SEVERITIES } from "../domain/signal.ts";
import type { FindingsDocument } from "../findings/model.ts";
import { terminalSafe, truncate } from "../report/safe.ts";
import { colorEnabled } from "./progress.ts";

const COLORS: Record<Severity, string> = {
  critical: "\u001b[1;31m",
  high: "\u001b[31m",
  medium: "\u001b[33m",
  low: "\u001b[36m",
  info: "\u001b[2m",
};

function paint(severity: Severity, text: string): string {
  return colorEnabled() ? `${COLORS[severity]}${text}\u001b[0m` : text;
}

/** The short terminal summary: counts by severity, the top findings, data quality, where outputs are. */
export function printSummary(
  document: FindingsDocument,
  outputPath: string,
  out: NodeJS.WriteStream = process.stdout,
): void {
  const { run, findings, data_quality: quality } = document;
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .reverse()
    .map(([s, n]) => paint(s, `${n} ${s}`));
  const lines = [
    `distill-audit ${run.run_id}: window ${run.window_start} → ${run.window_end} (${run.engine})`,
    `requests: ${quality.requests_accepted} audited, ${quality.requests_read - quality.requests_accepted} set aside`,
    `findings: ${findings.length === 0 ? "none" : counts.join(", ")}`,
  ];
  for (const finding of findings.filter((f) => f.severity !== "info" && f.severity !== "low").slice(0, 12)) {
    const label = paint(finding.severity, finding.severity.toUpperCase().padEnd(8));
    lines.push(
      `  ${label} ${truncate(terminalSafe(finding.title), 60)} score ${finding.score.toFixed(2)}, ${finding.evidence.requests} requests`,
    );
    lines.push(`           ${truncate(terminalSafe(finding.why), 150)}`);
  }
  const skipped = document.detectors.filter((d) => d.status === "skipped");
  for (const d of skipped) lines.push(`  detector ${d.id} did not run: ${terminalSafe(d.reason ?? "")}`);
  const rejected = Object.entries(quality.rejected);
  if (rejected.length > 0) {
    lines.push(`data quality: ${rejected.map(([reason, n]) => `${terminalSafe(reason)} ${n}`).join(", ")}`);
  }
  for (const [what, problems] of [
    ["unreadable", quality.unreadable_files],
    ["skipped", quality.skipped_files],
  ] as const) {
    if (problems.length === 0) continue;
    const named = problems
      .slice(0, 3)
      .map((p) => `${truncate(terminalSafe(p.file), 80)} (${terminalSafe(p.reason)})`)
      .join(", ");
    const more = problems.length > 3 ? ` and ${problems.length - 3} more in findings.json` : "";
    lines.push(`data quality: ${problems.length} ${what} file(s): ${named}${more}`);
  }
  for (const note of quality.notes) lines.push(`data quality: ${terminalSafe(note)}`);
  lines.push(`outputs: ${outputPath}`);
  out.write(`${lines.join("\n")}\n`);
}
