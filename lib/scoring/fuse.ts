import type { AuditConfig, ScoringConfig } from "../config/config.ts";
import {
  type AccountSignal,
  type AxisScores,
  EVIDENCE_AXES,
  type EvidenceAxis,
  type Severity,
  type Signal,
} from "../domain/signal.ts";

/** Noisy-OR: 1 - Π(1 - contribution), each contribution clamped below 1. */
export function noisyOr(contributions: Iterable<number>): number {
  let miss = 1;
  for (const c of contributions) miss *= 1 - Math.min(0.99, Math.max(0, c));
  return round(1 - miss);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Contribution c counted as k independent observations: 1 - (1 - c)^k (k < 1 shrinks it). */
export function repeated(contribution: number, k: number): number {
  return round(1 - (1 - contribution) ** k);
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

export interface Fused {
  readonly score: number;
  readonly axes: AxisScores;
  /** Why the score is held below medium, or null. */
  readonly gate: string | null;
  /** The signals, each contribution what it adds after its axis cap, strongest first. */
  readonly signals: Signal[];
}

/**
 * Fuses signals by evidence axis. Within an axis, the strongest signal of each facet counts (see
 * `strongestPerFacet`), and the facets combine by noisy-OR up to the axis cap: correlated tells
 * (volume, around-the-clock, one temperature, hosting networks) must not add up as if
 * independent. When an axis exceeds its cap, every one of its signals is scaled alike, so each
 * contribution stays what it adds and the score stays the noisy-OR of the list.
 *
 * Medium or above takes harvest evidence (what the traffic is for) of at least `min_harvest` plus
 * evidence on a second axis: a busy, automated, even multi-account product is not a distillation
 * campaign until its traffic harvests something, and harvest-looking traffic from one ordinary
 * account is a customer until it is also automated or coordinated. A gated score is held just
 * below the medium cut-off, and the gate says why.
 */
export function fuseByAxis(
  signals: readonly Signal[],
  scoring: ScoringConfig,
  cutoffs: AuditConfig["severity"],
): Fused {
  const axes = {} as Record<EvidenceAxis, number>;
  const scaled: Signal[] = [];
  for (const axis of EVIDENCE_AXES) {
    const members = strongestPerFacet(signals.filter((s) => s.axis === axis));
    const together = noisyOr(members.filter((s) => s.fired).map((s) => s.contribution));
    const cap = scoring.axis_caps[axis];
    axes[axis] = Math.min(together, cap);
    if (together <= cap) {
      scaled.push(...members);
      continue;
    }
    const beta = Math.log(1 - cap) / Math.log(1 - together);
    for (const s of members) {
      scaled.push(
        s.fired
          ? {
              ...s,
              contribution: repeated(s.contribution, beta),
              explanation: `${s.explanation} (${axis} evidence capped at ${cap} together)`,
            }
          : s,
      );
    }
  }
  scaled.sort((a, b) => b.contribution - a.contribution || a.name.localeCompare(b.name));
  const fused = noisyOr(EVIDENCE_AXES.map((axis) => axes[axis]));
  const gate = gateReason(axes, scoring.min_harvest);
  const ceiling = round(cutoffs.medium - 0.0001);
  return {
    score: gate !== null && fused > ceiling ? ceiling : fused,
    axes: Object.fromEntries(EVIDENCE_AXES.map((axis) => [axis, round(axes[axis])])) as AxisScores,
    gate: gate !== null && fused > ceiling ? gate : null,
    signals: scaled,
  };
}

/**
 * Within a facet only the strongest fired signal counts: the others are views of the same fact (a
 * template fed unique content shows as both templated fills and standalone unique prompts) and
 * are kept, with what they add set to zero and the reason given.
 */
function strongestPerFacet(signals: readonly Signal[]): Signal[] {
  const strongest = new Map<string, Signal>();
  for (const s of signals) {
    if (!s.fired) continue;
    const best = strongest.get(s.facet);
    if (!best || s.contribution > best.contribution) strongest.set(s.facet, s);
  }
  return signals.map((s) => {
    const best = strongest.get(s.facet);
    if (!s.fired || best === undefined || best === s) return s;
    return {
      ...s,
      contribution: 0,
      explanation: `${s.explanation} (the same ${s.facet.replace(/_/g, " ")} as ${best.detector}/${best.name}, counted once)`,
    };
  });
}

function gateReason(axes: Record<EvidenceAxis, number>, minHarvest: number): string | null {
  if (axes.harvest < minHarvest) {
    return `held below medium: harvest evidence ${round(axes.harvest)} is under ${minHarvest}; automation and coordination alone say how traffic is sent, not that it harvests outputs`;
  }
  if (axes.automation === 0 && axes.coordination === 0) {
    return "held below medium: harvest evidence alone, with no automation or coordination beside it";
  }
  return null;
}

export interface AccountScore extends Fused {
  readonly account: string;
}

/** Applies each detector's configured weight to its signals, then fuses per account by axis. */
export function scoreAccounts(
  signals: readonly AccountSignal[],
  detectorWeights: ReadonlyMap<string, number>,
  config: Pick<AuditConfig, "scoring" | "severity">,
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
    scores.set(account, { account, ...fuseByAxis(list, config.scoring, config.severity) });
  }
  return scores;
}
