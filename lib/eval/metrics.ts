import { atLeast, type Severity } from "../domain/signal.ts";
import type { FindingsDocument } from "../findings/model.ts";
import type { AccountLabel } from "../generate/index.ts";

/**
 * Detection quality against ground truth. An account is "flagged" at a level when it appears in
 * the accounts of any finding (account or cluster) of that severity or higher.
 */
export interface LevelMetrics {
  readonly level: Severity;
  readonly flagged: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Share of campaign requests sent by flagged campaign accounts. */
  readonly volumeRecall: number;
}

export interface GroupMetrics {
  readonly name: string;
  readonly accounts: number;
  readonly flaggedMedium: number;
  readonly flaggedHigh: number;
}

export interface Evaluation {
  readonly medium: LevelMetrics;
  readonly high: LevelMetrics;
  /** Recall per campaign (flagged at medium+). */
  readonly campaigns: GroupMetrics[];
  /** False positives per benign archetype. */
  readonly archetypes: GroupMetrics[];
}

export function flaggedAccounts(document: FindingsDocument, level: Severity): Set<string> {
  const flagged = new Set<string>();
  for (const finding of document.findings) {
    if (atLeast(finding.severity, level)) for (const account of finding.accounts) flagged.add(account);
  }
  return flagged;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}

function levelMetrics(
  level: Severity,
  flagged: Set<string>,
  labels: ReadonlyMap<string, AccountLabel>,
): LevelMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let campaignRequests = 0;
  let caughtRequests = 0;
  for (const label of labels.values()) {
    const isFlagged = flagged.has(label.account_id);
    if (label.kind === "campaign") {
      // A campaign account that sent nothing in the data cannot be missed by a traffic audit; when
      // linkage finds it anyway (a shared card), that is not counted as a catch either.
      if (label.requests === 0) continue;
      campaignRequests += label.requests;
      if (isFlagged) {
        tp += 1;
        caughtRequests += label.requests;
      } else fn += 1;
    } else if (isFlagged) fp += 1;
  }
  // Accounts in findings but absent from the labels are counted as false positives: unknown is not caught.
  for (const account of flagged) if (!labels.has(account)) fp += 1;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    level,
    flagged: flagged.size,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    volumeRecall: ratio(caughtRequests, campaignRequests),
  };
}

function groups(
  labels: ReadonlyMap<string, AccountLabel>,
  key: (label: AccountLabel) => string | null,
  medium: Set<string>,
  high: Set<string>,
): GroupMetrics[] {
  const byName = new Map<string, { accounts: number; flaggedMedium: number; flaggedHigh: number }>();
  for (const label of labels.values()) {
    const name = key(label);
    if (name === null) continue;
    const g = byName.get(name) ?? { accounts: 0, flaggedMedium: 0, flaggedHigh: 0 };
    g.accounts += 1;
    if (medium.has(label.account_id)) g.flaggedMedium += 1;
    if (high.has(label.account_id)) g.flaggedHigh += 1;
    byName.set(name, g);
  }
  return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, g]) => ({ name, ...g }));
}

export function evaluate(document: FindingsDocument, labels: ReadonlyMap<string, AccountLabel>): Evaluation {
  const medium = flaggedAccounts(document, "medium");
  const high = flaggedAccounts(document, "high");
  return {
    medium: levelMetrics("medium", medium, labels),
    high: levelMetrics("high", high, labels),
    campaigns: groups(
      labels,
      (l) => (l.kind === "campaign" && l.requests > 0 ? (l.campaign ?? l.archetype) : null),
      medium,
      high,
    ),
    archetypes: groups(
      labels,
      (l) => (l.kind === "benign" ? `${l.archetype}${l.hard_negative ? " (HN)" : ""}` : null),
      medium,
      high,
    ),
  };
}

export interface Targets {
  readonly minPrecision: number;
  readonly minRecall: number;
  /** Recall at medium+ every campaign must reach on its own. */
  readonly minCampaignRecall: number;
  readonly minVolumeRecall: number;
  /** Benign accounts (any archetype) allowed at high or critical. */
  readonly maxBenignHigh: number;
}

/**
 * Targets for traffic the project did not write (the shared dev set, a user's labelled logs): the
 * bar the product is judged by.
 */
export const EXTERNAL_TARGETS: Targets = {
  minPrecision: 0.98,
  minRecall: 0.95,
  minCampaignRecall: 0.9,
  minVolumeRecall: 0.99,
  maxBenignHigh: 0,
};

/**
 * Targets for the project's own generated mixes, as they were set when the generator was: every
 * campaign caught at all, no hard negative at high+. The generator's evasive heads are written to
 * sit below what per-account evidence can see, so volume and per-campaign recall are reported,
 * not held, there.
 */
export const SUITE_TARGETS: Targets = {
  minPrecision: 0.98,
  minRecall: 0.95,
  minCampaignRecall: 0,
  minVolumeRecall: 0,
  maxBenignHigh: Number.POSITIVE_INFINITY,
};

/**
 * What misses the targets: precision, recall and volume-weighted recall at medium+, a campaign
 * caught below its own recall target, benign accounts at high+ (hard negatives named each).
 */
export function targetMisses(evaluation: Evaluation, targets: Targets): string[] {
  const misses: string[] = [];
  if (evaluation.medium.precision < targets.minPrecision) {
    misses.push(`precision at medium+ ${evaluation.medium.precision.toFixed(3)} < ${targets.minPrecision}`);
  }
  if (evaluation.medium.recall < targets.minRecall) {
    misses.push(`recall at medium+ ${evaluation.medium.recall.toFixed(3)} < ${targets.minRecall}`);
  }
  if (evaluation.medium.volumeRecall < targets.minVolumeRecall) {
    misses.push(
      `volume-weighted recall at medium+ ${evaluation.medium.volumeRecall.toFixed(3)} < ${targets.minVolumeRecall}`,
    );
  }
  for (const c of evaluation.campaigns) {
    const recall = c.accounts === 0 ? 1 : c.flaggedMedium / c.accounts;
    if (c.flaggedMedium === 0) misses.push(`campaign ${c.name} not caught`);
    else if (recall < targets.minCampaignRecall)
      misses.push(`campaign ${c.name} recall at medium+ ${recall.toFixed(3)} < ${targets.minCampaignRecall}`);
  }
  const benignHigh = evaluation.archetypes.reduce((n, a) => n + a.flaggedHigh, 0);
  for (const a of evaluation.archetypes) {
    if (a.name.endsWith("(HN)") && a.flaggedHigh > 0)
      misses.push(`hard negative ${a.name}: ${a.flaggedHigh} at high+`);
  }
  if (benignHigh > targets.maxBenignHigh) {
    misses.push(`${benignHigh} benign accounts at high+ > ${targets.maxBenignHigh}`);
  }
  return misses;
}
