import type { Evaluation, LevelMetrics } from "./metrics.ts";

function pct(x: number): string {
  return x.toFixed(3);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function levelRow(m: LevelMetrics): string[] {
  return [
    `${m.level}+`,
    String(m.flagged),
    String(m.truePositives),
    String(m.falsePositives),
    String(m.falseNegatives),
    pct(m.precision),
    pct(m.recall),
    pct(m.f1),
    pct(m.volumeRecall),
  ];
}

/** The evaluation as Markdown tables (readable in a terminal, pasteable into notes). */
export function evaluationTables(evaluation: Evaluation): string {
  const levels = table(
    ["level", "flagged", "TP", "FP", "FN", "precision", "recall", "F1", "volume recall"],
    [levelRow(evaluation.medium), levelRow(evaluation.high)],
  );
  const campaigns = table(
    ["campaign", "accounts", "recall medium+", "recall high+"],
    evaluation.campaigns.map((c) => [
      c.name,
      String(c.accounts),
      pct(c.flaggedMedium / c.accounts),
      pct(c.flaggedHigh / c.accounts),
    ]),
  );
  const archetypes = table(
    ["benign archetype (HN = hard negative)", "accounts", "FP medium+", "FP high+"],
    evaluation.archetypes.map((a) => [
      a.name,
      String(a.accounts),
      String(a.flaggedMedium),
      String(a.flaggedHigh),
    ]),
  );
  return `${levels}\n\n${campaigns}\n\n${archetypes}\n`;
}
