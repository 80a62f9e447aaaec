import type { EvidenceAxis, Signal } from "../domain/signal.ts";

export interface Measurement {
  readonly detector: string;
  readonly name: string;
  /** What the signal is evidence of; its detector declares it (see EvidenceAxis). */
  readonly axis: EvidenceAxis;
  /**
   * What it measures within its axis. Signals of one facet (two detectors' views of "one template
   * fed unique content", say) are one fact: only the strongest of them counts.
   */
  readonly facet: string;
  readonly value: number;
  /** The value at which the signal fires. */
  readonly threshold: number;
  /**
   * The value at which the signal counts fully. Above the threshold for "more is worse" signals,
   * below it for "less is worse" ones (entropy, gap variation).
   */
  readonly saturation: number;
  /** The most this signal adds to its axis (noisy-OR under the axis cap, see fuse.ts). */
  readonly weight: number;
  readonly explanation: string;
}

/**
 * Turns a measured value into a signal. A fired signal contributes between half its weight (at the
 * threshold) and its full weight (at saturation), so a value far past the threshold counts more
 * than one that only just crosses it.
 */
export function measure(m: Measurement): Signal {
  const rising = m.saturation >= m.threshold;
  const fired = Number.isFinite(m.value) && (rising ? m.value >= m.threshold : m.value <= m.threshold);
  const span = m.saturation - m.threshold;
  const strength = span === 0 ? 1 : Math.min(1, Math.max(0, (m.value - m.threshold) / span));
  return {
    detector: m.detector,
    name: m.name,
    axis: m.axis,
    facet: m.facet,
    value: round(m.value),
    threshold: m.threshold,
    weight: m.weight,
    contribution: fired ? round(m.weight * (0.5 + 0.5 * strength)) : 0,
    fired,
    explanation: m.explanation,
  };
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10000) / 10000 : 0;
}
