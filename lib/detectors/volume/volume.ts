import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { defineDetector } from "../types.ts";

interface VolumeRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  output_tokens: number;
  active_days: number;
  age_days_at_first_seen: number | null;
  p50_requests: number;
  p90_requests: number;
  p99_requests: number;
  p50_output_tokens: number;
  p99_output_tokens: number;
}

export const volume = defineDetector({
  id: "volume",
  title: "Volume and ramp",
  stage: "account",
  rationale:
    "Distillation needs millions of outputs. Campaign accounts send many times the requests and output " +
    "tokens of a typical account, and fresh accounts go straight to heavy use instead of ramping up.",
  benignLookalikes:
    "Enterprises, platforms and popular apps are also heavy. Volume alone therefore weighs little: it " +
    "is measured against the population's own percentiles (no fixed request count), and the strongest " +
    "volume signal needs a new account, which established heavy customers are not.",
  runbook: [
    "Compare the account's daily volume with its history and its plan or contract.",
    "Check the account's age, verification status and payment method against its volume.",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are never assessed on volume. */
      min_requests: z.number().int().min(1).default(200),
      /** Requests as a multiple of the population median at which the signal fires, and saturates. */
      median_multiple: z.number().positive().default(20),
      median_multiple_saturation: z.number().positive().default(200),
      /** An account younger than this (days) when it first appears is "new". */
      new_account_days: z.number().positive().default(14),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<VolumeRow>("detector_volume", {
      ...windowParams(context.window),
      min_requests: t.min_requests,
    });
    const accountSignals: AccountSignal[] = [];
    for (const row of result.rows) {
      const median = Math.max(1, row.p50_requests);
      const multiple = row.requests / median;
      accountSignals.push({
        account: row.account_id,
        signal: measure({
          detector: "volume",
          name: "requests_vs_median",
          axis: "automation",
          facet: "volume",
          value: multiple,
          threshold: t.median_multiple,
          saturation: t.median_multiple_saturation,
          weight: 0.15,
          explanation: `${row.requests} requests, ${multiple.toFixed(0)}x the median account (p99 ${row.p99_requests})`,
        }),
      });
      const tokenMultiple = row.output_tokens / Math.max(1, row.p50_output_tokens);
      accountSignals.push({
        account: row.account_id,
        signal: measure({
          detector: "volume",
          name: "output_tokens_vs_median",
          axis: "automation",
          facet: "volume",
          value: tokenMultiple,
          threshold: t.median_multiple,
          saturation: t.median_multiple_saturation,
          weight: 0.1,
          explanation: `${row.output_tokens} output tokens, ${tokenMultiple.toFixed(0)}x the median account`,
        }),
      });
      if (row.age_days_at_first_seen !== null && row.requests >= row.p90_requests) {
        const age = Math.max(0, row.age_days_at_first_seen);
        accountSignals.push({
          account: row.account_id,
          signal: measure({
            detector: "volume",
            name: "new_account_heavy_use",
            axis: "automation",
            facet: "volume",
            value: age,
            threshold: t.new_account_days,
            saturation: 0,
            weight: 0.2,
            explanation: `account was ${age.toFixed(1)} days old when it started sending top-decile volume (${row.requests} requests)`,
          }),
        });
      }
    }
    return { accountSignals, stats: [result.stats] };
  },
});
