import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { allowlistedSkeletons, count, pct, share, skeletonHex } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface SpreadRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  population_accounts: number;
  spread_frames: number;
  spread_fills: number;
  weighted_fills: number;
  top_frame: string;
  top_frame_accounts: number;
}

export const templateSpread = defineDetector({
  id: "template_spread",
  title: "Cross-account template spread",
  stage: "account",
  rationale:
    "A campaign runs the same harvesting templates through many accounts, so an uncommon prompt frame " +
    "(the opening 48 characters of the masked prompt, where a template's instructions sit) turns up " +
    "across accounts that have no reason to share it, and carries most of each one's traffic. An " +
    "account uses a frame when it sends at least 3 distinct prompts on it (a template fed with content, " +
    "not a stock phrase like 'thanks!'); a frame is spread when at least 4 accounts use it, and counts " +
    "for an account only when it carries at least 2% of the account's traffic (one of its templates). " +
    "Its weight is IDF-like on the share of all active accounts in the window that use it: full up to " +
    "5% of accounts, falling on a log scale to nothing at 30%, so SDK defaults and a popular tool's " +
    "prompt are ignored. The signal is the rarity-weighted number of distinct prompts the account sends on " +
    "spread frames, per request; accounts below 50 requests are not measured. Shared system prompts " +
    "are left to the linkage detector: every user of a chat client or plugin sends its system prompt, " +
    "so alone they say too little.",
  benignLookalikes:
    "Users of the same tool or plugin share its system prompt, but their own prompts open in their own " +
    "words; common openings ('explain what this does') each carry a sliver of a person's traffic, too " +
    "little to count. Stock follow-ups ('make it shorter', 'thanks!') are shared by everybody but never carry " +
    "distinct content. Customers of a bring-your-own-key product that wraps every request in its own " +
    "template do share a frame, so the signal weighs 0.25 and needs other tells. At a large provider a " +
    "frame used by 5% of accounts is a popular product, not a campaign: lower rare_share and " +
    "common_share there. Known templates can be allowlisted by skeleton or frame hash.",
  runbook: [
    "Take the top frame's hash from the signal and list the accounts sending it: do they share payment, networks or sign-up dates?",
    "Read the skeleton excerpts in the evidence: a product's feature prompt, or a generic harvesting frame?",
    "If the accounts are linked, review them together as one cluster rather than one by one.",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** An account uses a frame when it sent at least this many distinct prompts on it. */
      min_fills: z.number().int().min(1).default(3),
      /** Only frames carrying at least this share of the account's requests count for it. */
      min_frame_share: z.number().min(0).max(1).default(0.02),
      /** A frame is spread when at least this many accounts use it. */
      min_accounts: z.number().int().min(2).default(4),
      /** Frames used by up to this share of active accounts count fully (rare). */
      rare_share: z.number().positive().max(1).default(0.05),
      /** Frames used by this share of active accounts or more are ignored (common defaults). */
      common_share: z.number().positive().max(1).default(0.3),
      /** Rarity-weighted distinct prompts on spread frames per request at which it fires. */
      spread_share: z.number().min(0).max(1).default(0.5),
      spread_share_saturation: z.number().min(0).max(1).default(0.9),
    })
    .strict()
    .refine((t) => t.rare_share < t.common_share, { message: "rare_share must be below common_share" }),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<SpreadRow>("detector_template_spread", {
      ...windowParams(context.window),
      allowlisted_skeletons: allowlistedSkeletons(context.config),
      min_fills: t.min_fills,
      min_accounts: t.min_accounts,
      common_share: t.common_share,
      log_common_over_rare: Math.log(t.common_share / t.rare_share),
      min_requests: t.min_requests,
      min_frame_share: t.min_frame_share,
    });
    const accountSignals: AccountSignal[] = result.rows.map((row) => {
      const value = share(row.weighted_fills, row.requests);
      return {
        account: row.account_id,
        signal: measure({
          detector: "template_spread",
          name: "shared_rare_template",
          axis: "coordination",
          facet: "shared_templates",
          value,
          threshold: t.spread_share,
          saturation: t.spread_share_saturation,
          weight: 0.25,
          explanation:
            `${count(row.spread_fills)} distinct prompts of ${count(row.requests)} requests open with ` +
            `${row.spread_frames} frame(s) other accounts also send (${pct(value)} rarity-weighted); ` +
            `top ${skeletonHex(row.top_frame)} is used by ${count(row.top_frame_accounts)} of ${count(row.population_accounts)} active accounts`,
        }),
      };
    });
    return { accountSignals, stats: [result.stats] };
  },
});
