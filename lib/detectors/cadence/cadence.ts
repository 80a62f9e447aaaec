import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { count } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface CadenceRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  active_hours: number;
  active_days: number;
  c_ln_c: number;
  hours_of_day_used: number;
  gaps: number;
  gap_mean: number | null;
  gap_sd: number | null;
}

/**
 * Normalised entropy of the hour-of-day profile, from n and Σ c·ln c over its non-empty hours:
 * H = ln n − Σ c ln c / n, with the Miller–Madow correction ((m − 1) / 2n) because a finite sample
 * of a flat day looks slightly less flat than it is; divided by ln 24 so a flat day scores 1.
 */
export function hourOfDayEntropy(requests: number, cLnC: number, hoursUsed: number): number {
  if (requests <= 0) return 0;
  const h = Math.log(requests) - cLnC / requests + (hoursUsed - 1) / (2 * requests);
  return Math.min(1, Math.max(0, h / Math.log(24)));
}

export const cadence = defineDetector({
  id: "cadence",
  title: "Automation cadence",
  stage: "account",
  rationale:
    "Harvesting runs as a job, not as people: its traffic is there around the clock with no quiet " +
    "night, and its requests arrive at a steady pace from workers draining a queue. Two signals: " +
    "around the clock (at least 20 active hours per active day and a flat hour-of-day profile, i.e. a " +
    "normalised entropy of the 24 hour-of-day counts of at least 0.97, where 1 is perfectly flat) and " +
    "regular gaps (a coefficient of variation of the gaps between consecutive requests of at most 0.5; " +
    "gaps over an hour are breaks, not pacing, and are left out). The references are natural ones " +
    "rather than population percentiles: people sleep, a flat day has entropy 1, and independent " +
    "arrivals have a gap variation of 1 while people, who work in bursts, are well above it. Accounts " +
    "below the volume floor (200 requests) are not measured: a timing profile of a few requests is noise.",
  benignLookalikes:
    "Single-purpose apps, integrations, reseller platforms and global enterprises also run 24/7, and a " +
    "worker pool behind an app or an evaluation run is paced too. So around-the-clock weighs 0.1, regular " +
    "gaps 0.08, and both together stay far below the medium cut-off: cadence only ever supports other " +
    "tells. An app serving people in one " +
    "region keeps their daily rhythm, so its hour-of-day entropy stays below the flat cut-off; an " +
    "enterprise's many users arrive in bursts, so its gaps vary more than random arrivals.",
  runbook: [
    "Open the finding's hourly chart: look for an unbroken block of traffic with no daily trough.",
    "Check whether the account's plan or stated use case (batch jobs, an app's backend) explains 24/7 traffic.",
    "If its gaps are regular, compare its request rate with its rate limit: a harvesting job runs right under it.",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(200),
      /** Mean active hours per active day from which the account counts as running around the clock... */
      active_hours_per_day: z.number().min(1).max(24).default(20),
      /** ...and the normalised hour-of-day entropy at which its day counts as flat (1 = perfectly flat). */
      flat_entropy: z.number().min(0).max(1).default(0.97),
      flat_entropy_saturation: z.number().min(0).max(1).default(0.995),
      /** Gaps longer than this (seconds) are breaks between sessions, not pacing. */
      max_gap_seconds: z.number().positive().default(3600),
      /** The gap variation is judged only with at least this many gaps. */
      min_gaps: z.number().int().min(2).default(100),
      /** Coefficient of variation of the gaps at or below which arrivals count as paced. */
      gap_cv: z.number().positive().default(0.5),
      gap_cv_saturation: z.number().min(0).default(0.15),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<CadenceRow>("detector_cadence", {
      ...windowParams(context.window),
      min_requests: t.min_requests,
      max_gap_seconds: t.max_gap_seconds,
    });
    const accountSignals: AccountSignal[] = [];
    for (const row of result.rows) {
      // One tell, two views: a flat hour-of-day profile only counts when the account is also active
      // nearly every hour of its active days (a flat profile over a few days of bursts is not 24/7).
      const perDay = row.active_hours / Math.max(1, row.active_days);
      const entropy = hourOfDayEntropy(row.requests, row.c_ln_c, row.hours_of_day_used);
      const allDay = perDay >= t.active_hours_per_day;
      accountSignals.push({
        account: row.account_id,
        signal: measure({
          detector: "cadence",
          name: "around_the_clock",
          axis: "automation",
          facet: "timing",
          value: allDay ? entropy : 0,
          threshold: t.flat_entropy,
          saturation: t.flat_entropy_saturation,
          weight: 0.1,
          explanation: `active ${perDay.toFixed(1)} of 24 hours per day on ${row.active_days} active day(s), hour-of-day entropy ${entropy.toFixed(3)} over ${count(row.requests)} requests (1 = a flat day with no quiet hours)`,
        }),
      });
      if (row.gaps >= t.min_gaps && row.gap_mean !== null && row.gap_sd !== null && row.gap_mean > 0) {
        const cv = row.gap_sd / row.gap_mean;
        accountSignals.push({
          account: row.account_id,
          signal: measure({
            detector: "cadence",
            name: "regular_gaps",
            axis: "automation",
            facet: "timing",
            value: cv,
            threshold: t.gap_cv,
            saturation: t.gap_cv_saturation,
            weight: 0.08,
            explanation: `gap variation ${cv.toFixed(2)} over ${count(row.gaps)} gaps of mean ${row.gap_mean.toFixed(1)} s (paced below ${t.gap_cv}; random arrivals give 1, people more)`,
          }),
        });
      }
    }
    return { accountSignals, stats: [result.stats] };
  },
});
