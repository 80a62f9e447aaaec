import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { allowlistedSkeletons, count, pct, share, skeletonHex } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface ConcentrationRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  frames: number;
  template_frames: number;
  templated_requests: number;
  templated_distinct_prompts: number;
  top_frame_requests: number;
  top_frame: string;
}

export const templateConcentration = defineDetector({
  id: "template_concentration",
  title: "Template concentration",
  stage: "account",
  rationale:
    "Distillation feeds a data set through prompt templates: nearly all of the account's traffic opens " +
    "with one of a few fixed instruction frames, while the content filled into them is new every time " +
    "because it comes from the data set. A frame is the opening of the prompt's skeleton (the prompt " +
    "with numbers, quotes, code, names and URLs masked and case folded), its first 48 characters: the " +
    "instructions open the prompt, the payload follows. A frame is one of the account's templates when " +
    "it carries at least 2% of its traffic (and 5 requests). The signal is the number of distinct " +
    "prompts sent on template frames per request: the templated share times the share of unique fills, " +
    "high only when both are. Accounts below the volume floor (50 requests) are not measured.",
  benignLookalikes:
    "A single-purpose app also sends one template, but its inputs come from people and repeat (the same " +
    "questions, the same documents, retries), so its fills are far from all unique; an evaluation " +
    "harness replays the same items on every run; people rarely open two requests alike. Honest batch " +
    "jobs over unique documents remain look-alikes, so the signal weighs 0.22 and needs other tells " +
    "(what the template asks for, how much output it takes, who sends it) to reach medium. Known-good " +
    "templates can be allowlisted by skeleton or frame hash.",
  runbook: [
    "Read the top skeleton excerpts in the evidence: a product feature, or a generic task frame followed by data-set rows?",
    "Pull a handful of sample requests and check whether the filled content looks like rows of a public data set.",
    "Look for the same frame in other accounts (template_spread, cluster findings).",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** A frame is one of the account's templates with at least this many requests... */
      min_frame_requests: z.number().int().min(1).default(5),
      /** ...and at least this share of the account's requests. */
      min_frame_share: z.number().min(0).max(1).default(0.02),
      /** Distinct prompts on template frames per request at which the signal fires. */
      templated_unique_share: z.number().min(0).max(1).default(0.65),
      templated_unique_share_saturation: z.number().min(0).max(1).default(0.95),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const allowlisted = allowlistedSkeletons(context.config);
    const result = await context.engine.run<ConcentrationRow>("detector_template_concentration", {
      ...windowParams(context.window),
      allowlisted_skeletons: allowlisted,
      min_requests: t.min_requests,
      min_frame_requests: t.min_frame_requests,
      min_frame_share: t.min_frame_share,
    });
    const accountSignals: AccountSignal[] = [];
    for (const row of result.rows) {
      const templated = share(row.templated_requests, row.requests);
      const uniqueness = share(row.templated_distinct_prompts, row.templated_requests);
      const value = share(row.templated_distinct_prompts, row.requests);
      accountSignals.push({
        account: row.account_id,
        signal: measure({
          detector: "template_concentration",
          name: "templated_unique_fills",
          axis: "harvest",
          facet: "dataset_shape",
          value,
          threshold: t.templated_unique_share,
          saturation: t.templated_unique_share_saturation,
          weight: 0.22,
          explanation:
            `${pct(templated)} of ${count(row.requests)} requests open with ${row.template_frames} template frame(s) ` +
            `(top ${skeletonHex(row.top_frame)}: ${pct(share(row.top_frame_requests, row.requests))}), ${pct(uniqueness)} unique fills`,
        }),
      });
    }
    return { accountSignals, stats: [result.stats] };
  },
});
