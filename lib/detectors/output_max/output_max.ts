import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { byAccount, capLabel, count, pct, share } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface OutputRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  with_max_tokens: number;
  with_temperature: number;
  temperatures: number;
  min_temperature: number | null;
  max_temperature: number | null;
  p50_ratio: number | null;
  model: string | null;
  model_requests: number | null;
  top_max_tokens: number | null;
  at_top_max_tokens: number | null;
}

/** A floor for the population median ratio, so a population of tiny outputs cannot divide by ~0. */
const MIN_MEDIAN_RATIO = 0.05;

export const outputMax = defineDetector({
  id: "output_max",
  title: "Output maximisation and uniform sampling",
  stage: "account",
  rationale:
    "A distiller pays per output token and wants as many as it can get: it sets max_tokens to the " +
    "model's cap on every request, sends short prompts that ask for long answers (a high output/input " +
    "ratio, measured against the population median account), and samples every request the same way " +
    "(one fixed temperature across the whole job). The cap comes from the model catalogue; for a " +
    "model the catalogue lacks, it is the highest max_tokens requested for it in the window (named in " +
    "the report's data quality notes). " +
    "Shares count only the requests that carry max_tokens or temperature. Accounts below the volume " +
    "floor (50 requests) are not measured.",
  benignLookalikes:
    "Some SDKs and agents default max_tokens to the model maximum, apps pin one temperature, and " +
    "creative-writing tools turn short prompts into long texts. So constant temperature weighs only " +
    "0.05, the cap 0.12 and the ratio 0.1: this detector never decides alone. Coding agents, which max " +
    "the cap too, send long contexts, so their output/input ratio stays low.",
  runbook: [
    "Compare the account's output tokens per request with its product: does anything it sells need maximal outputs?",
    "Check the outputs' finish reasons in the gateway logs: a harvester's outputs often run to the cap.",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** Accounts with at least this many requests form the population whose median is compared. */
      population_min_requests: z.number().int().min(1).default(20),
      /** Share of requests (with max_tokens) at the model's output cap. */
      at_cap_share: z.number().min(0).max(1).default(0.8),
      at_cap_share_saturation: z.number().min(0).max(1).default(0.98),
      /** Output/input token ratio as a multiple of the population median. */
      ratio_multiple: z.number().positive().default(4),
      ratio_multiple_saturation: z.number().positive().default(15),
    })
    .strict(),
  requires: { fields: ["max_tokens"] },
  async run(context, t) {
    const result = await context.engine.run<OutputRow>("detector_output_max", {
      ...windowParams(context.window),
      population_min_requests: t.population_min_requests,
      min_requests: t.min_requests,
    });
    const accountSignals: AccountSignal[] = [];
    const signal = (account: string, s: Parameters<typeof measure>[0]) =>
      accountSignals.push({ account, signal: measure(s) });

    for (const [account, rows] of byAccount(result.rows)) {
      const a = rows[0] as OutputRow;
      const n = a.requests;
      const judged = t.min_requests / 2;

      // Output cap: per model, the requests at its highest max_tokens when that reaches the cap.
      if (a.with_max_tokens >= judged) {
        let atCap = 0;
        const capped: string[] = [];
        for (const row of rows) {
          const model = context.models.resolve(row.model);
          const cap = model?.maxOutputTokens;
          if (model && cap !== undefined && row.top_max_tokens !== null && row.top_max_tokens >= cap) {
            atCap += row.at_top_max_tokens ?? 0;
            capped.push(capLabel(model, cap));
          }
        }
        const capShare = share(atCap, a.with_max_tokens);
        signal(account, {
          detector: "output_max",
          name: "max_tokens_at_cap",
          axis: "harvest",
          facet: "output_maximisation",
          value: capShare,
          threshold: t.at_cap_share,
          saturation: t.at_cap_share_saturation,
          weight: 0.12,
          explanation:
            capped.length === 0
              ? `no request sets max_tokens at the model's cap (${count(a.with_max_tokens)} requests with max_tokens)`
              : `${pct(capShare)} of ${count(a.with_max_tokens)} requests set max_tokens at the model's cap (${capped.join(", ")})`,
        });
      }

      // One temperature for every request: weak alone (apps pin it), telling beside the others.
      if (a.with_temperature >= judged) {
        const temperature = a.min_temperature === null ? "?" : String(a.min_temperature);
        signal(account, {
          detector: "output_max",
          name: "constant_temperature",
          axis: "automation",
          facet: "sampling",
          value: a.temperatures,
          threshold: 1.5,
          saturation: 1,
          weight: 0.05,
          explanation:
            a.temperatures <= 1
              ? `all ${count(a.with_temperature)} requests that set a temperature use ${temperature}`
              : `${a.temperatures} distinct temperatures (${a.min_temperature} to ${a.max_temperature})`,
        });
      }

      const ratio = a.output_tokens / Math.max(1, a.input_tokens);
      const median = Math.max(MIN_MEDIAN_RATIO, a.p50_ratio ?? 0);
      const multiple = ratio / median;
      signal(account, {
        detector: "output_max",
        name: "output_input_ratio",
        axis: "harvest",
        facet: "output_yield",
        value: multiple,
        threshold: t.ratio_multiple,
        saturation: t.ratio_multiple_saturation,
        weight: 0.1,
        explanation: `${ratio.toFixed(1)} output tokens per input token over ${count(n)} requests, ${multiple.toFixed(1)}x the population median (${median.toFixed(2)})`,
      });
    }
    return { accountSignals, stats: [result.stats] };
  },
});
