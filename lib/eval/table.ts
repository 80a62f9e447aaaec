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

/** How a run counts: gated runs set the exit code, the others are measured and reported only. */
export function gateLabel(gated: boolean): string {
  return gated ? "gated" : "measured, not gated";
}

export interface SummaryRow {
  readonly name: string;
  readonly gated: boolean;
  readonly evaluation: Evaluation;
  readonly misses: readonly string[];
}

/** One line per data set: the headline numbers, side by side, with whether the set is gated. */
export function suiteSummaryTable(runs: readonly SummaryRow[]): string {
  return table(
    [
      "data set",
      "gate",
      "P medium+",
      "R medium+",
      "volume R medium+",
      "P high+",
      "R high+",
      "benign at high+",
      "worst campaign (R medium+)",
      "targets",
    ],
    runs.map((r) => {
      const e = r.evaluation;
      const worst = [...e.campaigns].sort(
        (a, b) => a.flaggedMedium / a.accounts - b.flaggedMedium / b.accounts || a.name.localeCompare(b.name),
      )[0];
      return [
        r.name,
        gateLabel(r.gated),
        pct(e.medium.precision),
        pct(e.medium.recall),
        pct(e.medium.volumeRecall),
        pct(e.high.precision),
        pct(e.high.recall),
        String(e.high.falsePositives),
        worst === undefined ? "-" : `${worst.name} ${pct(worst.flaggedMedium / worst.accounts)}`,
        r.misses.length === 0 ? "met" : `${r.misses.length} missed`,
      ];
    }),
  );
}
