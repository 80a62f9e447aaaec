import type { AuditConfig } from "../config/config.ts";
import type { AccountSignal } from "../detectors/types.ts";
import type { Severity, Signal } from "../findings/model.ts";

/**
 * Scores combine signals by noisy-OR: 1 - Π(1 - contribution). Each tell alone also fits some
 * honest customer, so no single signal's weight reaches the medium cut-off; it takes several
 * independent tells, or one cluster-level tell with supporting ones, to get there.
 */
export function noisyOr(contributions: Iterable<number>): number {
  let miss = 1;
  for (const c of contributions) miss *= 1 - Math.min(0.99, Math.max(0, c));
  return Math.round((1 - miss) * 10000) / 10000;
}

export function severityFor(
  score: number,
  cutoffs: AuditConfig["severity"],
): Exclude<Severity, "info"> | null {
  if (score >= cutoffs.critical) return "critical";
  if (score >= cutoffs.high) return "high";
  if (score >= cutoffs.medium) return "medium";
  if (score >= cutoffs.low) return "low";
  return null;
}

export interface AccountScore {
  readonly account: string;
  readonly score: number;
  readonly signals: Signal[];
}

/** Applies each detector's configured weight to its signals, then fuses per account. */
export function scoreAccounts(
  signals: readonly AccountSignal[],
  detectorWeights: ReadonlyMap<string, number>,
): Map<string, AccountScore> {
  const byAccount = new Map<string, Signal[]>();
  for (const { account, signal } of signals) {
    const weight = detectorWeights.get(signal.detector) ?? 1;
    const weighted =
      weight === 1 ? signal : { ...signal, contribution: Math.min(0.99, signal.contribution * weight) };
    const list = byAccount.get(account) ?? [];
    list.push(weighted);
    byAccount.set(account, list);
  }
  const scores = new Map<string, AccountScore>();
  for (const [account, list] of byAccount) {
    list.sort((a, b) => b.contribution - a.contribution || a.name.localeCompare(b.name));
    scores.set(account, {
      account,
      score: noisyOr(list.filter((s) => s.fired).map((s) => s.contribution)),
      signals: list,
    });
  }
  return scores;
}
