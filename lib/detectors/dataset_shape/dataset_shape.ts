import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { count, pct, share } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface ShapeRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  with_turns: number;
  single_turn: number;
  with_conversation: number;
  continued_requests: number;
  distinct_prompts: number;
}

export const datasetShape = defineDetector({
  id: "dataset_shape",
  title: "Dataset-shaped traffic",
  stage: "account",
  rationale:
    "A data set run through the API has a shape no conversation has: every request is a single turn, " +
    "no conversation is ever continued, and no prompt repeats because every row of the data set is " +
    "different. The signal multiplies the three: single-turn share (over requests whose turn count is " +
    "known) × share of requests outside continued conversations × distinct prompts per request, i.e. " +
    "roughly the share of traffic that is standalone, never-repeated prompts. Accounts below the volume " +
    "floor (50 requests), or whose turn counts are mostly missing, are not measured.",
  benignLookalikes:
    "People chat: their conversations continue over many turns. Single-purpose apps send single turns, " +
    "but their inputs come from users and repeat (common questions, retries, the same document twice); " +
    "evaluation harnesses replay the same items. Honest batch jobs over unique documents do look like " +
    "this, so the signal weighs 0.18 and only adds to stronger tells.",
  runbook: [
    "Check the account's conversation ids and turn counts in sample requests: is there any sign of a product with users?",
    "Look at what the standalone prompts are: documents from the customer's own business, or rows of a public benchmark or data set?",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** Minimum share of the account's requests that must carry a turn count to judge it. */
      min_turns_coverage: z.number().min(0).max(1).default(0.5),
      /** Standalone-and-unique share at which the signal fires. */
      standalone_unique_share: z.number().min(0).max(1).default(0.9),
      standalone_unique_share_saturation: z.number().min(0).max(1).default(0.99),
    })
    .strict(),
  requires: { fields: ["turns"] },
  async run(context, t) {
    const result = await context.engine.run<ShapeRow>("detector_dataset_shape", {
      ...windowParams(context.window),
      min_requests: t.min_requests,
    });
    const accountSignals: AccountSignal[] = [];
    for (const row of result.rows) {
      if (share(row.with_turns, row.requests) < t.min_turns_coverage) continue;
      const singleTurn = share(row.single_turn, row.with_turns);
      const continued = share(row.continued_requests, row.requests);
      const unique = share(row.distinct_prompts, row.requests);
      const value = singleTurn * (1 - continued) * unique;
      const conversations =
        row.with_conversation === 0
          ? "no conversation ids"
          : row.continued_requests === 0
            ? "no conversation continued"
            : `${pct(continued)} in continued conversations`;
      accountSignals.push({
        account: row.account_id,
        signal: measure({
          detector: "dataset_shape",
          name: "standalone_unique_prompts",
          axis: "harvest",
          facet: "dataset_shape",
          value,
          threshold: t.standalone_unique_share,
          saturation: t.standalone_unique_share_saturation,
          weight: 0.18,
          explanation: `${pct(singleTurn)} of ${count(row.requests)} requests single-turn, ${conversations}, ${pct(unique)} distinct prompts`,
        }),
      });
    }
    return { accountSignals, stats: [result.stats] };
  },
});
