import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { byAccount, count, pct, share } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface SliceRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  model: string | null;
  max_tokens: number | null;
  thinking_budget: number | null;
  templated_requests: number;
  cued_requests: number;
  p50_requests: number | null;
}

export const harvestSlice = defineDetector({
  id: "harvest_slice",
  title: "Harvest slice",
  stage: "account",
  rationale:
    "Whole-account shares miss a harvest hidden inside ordinary traffic: a reseller that sends its own " +
    "users' requests and a data-set harvest through the same keys dilutes every share below its " +
    "threshold. This detector measures the harvest slice itself: single-turn requests on a prompt frame " +
    "(the template's opening) that carries many distinct fills, nearly all unique, and that ask for the " +
    "model's output cap or its maximum thinking budget (caps from the model catalogue, or inferred from " +
    "the window's traffic for a model it lacks). The " +
    "signal is the slice's share of the account's traffic (counted from 50 requests in the slice); " +
    "beside it, a slice that alone dwarfs the median account's whole traffic adds a smaller scale tell. " +
    "A second slice, whatever its frames, holds the single-turn requests that ask for reasoning, an " +
    "answer's derivation or a grading at the cap; it counts by its size against the median account's " +
    "whole traffic, not by its share, since a reseller dilutes every share of it. Accounts below the " +
    "volume floor (50 requests) are not measured.",
  benignLookalikes:
    "A single-purpose app sends one frame at scale, but its fills repeat (people ask the same things), " +
    "so its frames fall below the unique-fill share; an evaluation harness replays the same items and " +
    "rarely maxes the output; chat users and resellers' users hold conversations and open prompts " +
    "differently, so no frame gathers hundreds of unique single-turn fills at the cap. Honest batch " +
    "jobs over unique documents with SDK-default caps remain look-alikes, so the share weighs 0.25, the scale 0.1, and together they " +
    "needs the account's other tells to reach medium.",
  runbook: [
    "Read the account's top frames (template_concentration evidence) and sample requests from the slice: product traffic, or data-set rows?",
    "Compare the slice's output lengths with the rest of the account's traffic: a harvest runs to the cap.",
    "For a reseller, ask which of its customers sends the slice.",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** A frame belongs to the slice with at least this many distinct prompts... */
      min_frame_fills: z.number().int().min(1).default(20),
      /** ...nearly all of them unique. */
      min_frame_unique_share: z.number().min(0).max(1).default(0.9),
      /** The slice counts only with at least this many requests. */
      min_slice_requests: z.number().int().min(1).default(50),
      /** Share of the account's requests in the slice at which the signal fires. */
      slice_share: z.number().min(0).max(1).default(0.25),
      slice_share_saturation: z.number().min(0).max(1).default(0.5),
      /** Slice size, as a multiple of the median account's whole traffic, at which scale fires. */
      slice_size_multiple: z.number().positive().default(8),
      slice_size_multiple_saturation: z.number().positive().default(30),
      /**
       * Elicitation slice size, as a multiple of the median account's whole traffic, at which it
       * fires and saturates: lower than the templated slice's, since asking for reasoning at the
       * cap in single turns is three facts together where a templated slice at the cap is two.
       */
      elicitation_slice_multiple: z.number().positive().default(4),
      elicitation_slice_multiple_saturation: z.number().positive().default(20),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<SliceRow>("detector_harvest_slice", {
      ...windowParams(context.window),
      min_requests: t.min_requests,
      min_frame_fills: t.min_frame_fills,
      min_frame_unique_share: t.min_frame_unique_share,
    });
    const accountSignals: AccountSignal[] = [];
    for (const [account, rows] of byAccount(result.rows)) {
      const first = rows[0] as SliceRow;
      const requests = first.requests;
      let slice = 0;
      let cued = 0;
      for (const row of rows) {
        const model = context.models.resolve(row.model);
        if (model === undefined) continue;
        const { maxOutputTokens: outputCap, maxThinkingBudget: thinkingCap } = model;
        const maxed =
          (outputCap !== undefined && row.max_tokens !== null && row.max_tokens >= outputCap) ||
          (thinkingCap !== undefined && row.thinking_budget !== null && row.thinking_budget >= thinkingCap);
        if (!maxed) continue;
        slice += row.templated_requests;
        cued += row.cued_requests;
      }
      const median = Math.max(1, first.p50_requests ?? 0);
      // The elicitation slice counts by its size alone: asking for reasoning traces at the cap, in
      // single-turn requests, is what a harvest does, and a reseller dilutes every share of it.
      if (cued >= t.min_slice_requests) {
        const multiple = cued / median;
        accountSignals.push({
          account,
          signal: measure({
            detector: "harvest_slice",
            name: "maxed_elicitation_slice",
            axis: "harvest",
            facet: "reasoning_traces",
            value: multiple,
            threshold: t.elicitation_slice_multiple,
            saturation: t.elicitation_slice_multiple_saturation,
            weight: 0.3,
            explanation:
              `${count(cued)} single-turn requests (${pct(share(cued, requests))} of the account's) ask for reasoning, ` +
              `an answer's derivation or a grading at the model's output or thinking cap: ${multiple.toFixed(1)}x the median account's whole traffic (${count(median)} requests)`,
          }),
        });
      }
      if (slice < t.min_slice_requests) continue;
      const value = share(slice, requests);
      accountSignals.push({
        account,
        signal: measure({
          detector: "harvest_slice",
          name: "maxed_templated_slice",
          axis: "harvest",
          facet: "harvest_slice",
          value,
          threshold: t.slice_share,
          saturation: t.slice_share_saturation,
          weight: 0.25,
          explanation:
            `${count(slice)} of ${count(requests)} requests (${pct(value)}) are single-turn, on a frame with many ` +
            "unique fills, and ask for the model's output or thinking cap",
        }),
      });
      // Scale only beside a slice that already stands out in the account's own traffic: a large
      // account's modest batch job is large in absolute terms without being what the account is for.
      if (value < t.slice_share) continue;
      const multiple = slice / median;
      accountSignals.push({
        account,
        signal: measure({
          detector: "harvest_slice",
          name: "slice_size_vs_median",
          axis: "harvest",
          facet: "harvest_scale",
          value: multiple,
          threshold: t.slice_size_multiple,
          saturation: t.slice_size_multiple_saturation,
          weight: 0.1,
          explanation: `the harvest slice alone is ${multiple.toFixed(1)}x the median account's whole traffic (${count(median)} requests)`,
        }),
      });
    }
    return { accountSignals, stats: [result.stats] };
  },
});
