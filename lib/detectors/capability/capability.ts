import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { byAccount, count, pct, share } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface CapabilityRow {
  [key: string]: string | number | null;
  account_id: string;
  capability: string;
  requests: number;
  with_turns: number;
  standalone: number;
  account_requests: number;
  p50_targeted_share: number | null;
}

/** The categories of the feature stage (lib/sql/features.sql). */
const CAPABILITIES = ["agentic", "tool_use", "coding", "data_analysis", "math", "writing", "other"] as const;
const share01 = z.number().min(0).max(1);

export const capability = defineDetector({
  id: "capability",
  title: "Capability targeting",
  stage: "account",
  rationale:
    "Campaigns harvest the capabilities that set a frontier model apart (agentic coding, tool use, " +
    "data analysis) and little else, so their traffic is narrow: one or two categories, both targeted. " +
    "The first signal is the share of the account's requests in its top two categories when those are " +
    "targeted ones; its cut-off is raised above the population median when such a focus is normal in " +
    "this population. The second asks how the targeted traffic is sent: a real agent works in sessions " +
    "(many turns, a conversation id), while a harvester sends each agentic task as a standalone " +
    "single-turn request. Accounts below the volume floor (50 requests) are not measured.",
  benignLookalikes:
    "Coding agents, IDE assistants and code-review bots are just as narrow, so concentration alone " +
    "weighs only 0.08; they run long multi-turn sessions with conversation ids, which keeps the second " +
    "signal (0.1) quiet. Single-turn function-calling apps (extraction, routing) can fire both, which " +
    "is why capability can never reach medium on its own and needs the other detectors.",
  runbook: [
    "Look at the model mix and tool counts in the evidence: does the account run an agent product with sessions?",
    "Read sample agentic requests: a real task from a repository, or a synthetic, self-contained exercise?",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** Accounts with at least this many requests form the population whose median is compared. */
      population_min_requests: z.number().int().min(1).default(20),
      /** The capability categories a campaign targets. */
      targets: z
        .array(z.enum(CAPABILITIES))
        .min(1)
        .default(["agentic", "tool_use", "coding", "data_analysis"]),
      /** How many top categories count as the account's focus. */
      focus_categories: z.number().int().min(1).max(6).default(2),
      /** Share of requests in targeted focus categories at which the signal fires. */
      targeted_share: share01.default(0.8),
      targeted_share_saturation: share01.default(0.98),
      /** The targeted-share cut-off is at least the population median plus this margin. */
      population_margin: share01.default(0.2),
      /** Standalone share of targeted requests (turn count known) at which the second signal fires. */
      standalone_share: share01.default(0.9),
      standalone_share_saturation: share01.default(0.99),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const targets = new Set<string>(t.targets);
    const result = await context.engine.run<CapabilityRow>("detector_capability", {
      ...windowParams(context.window),
      target_capabilities: t.targets,
      population_min_requests: t.population_min_requests,
      min_requests: t.min_requests,
    });
    const accountSignals: AccountSignal[] = [];
    for (const [account, rows] of byAccount(result.rows)) {
      const first = rows[0] as CapabilityRow;
      const n = first.account_requests;
      const median = first.p50_targeted_share ?? 0;
      const ranked = [...rows].sort(
        (a, b) => b.requests - a.requests || a.capability.localeCompare(b.capability),
      );
      const focus = ranked.slice(0, t.focus_categories).filter((r) => targets.has(r.capability));
      const focused = focus.reduce((sum, r) => sum + r.requests, 0);
      const focusShare = share(focused, n);
      const cut = Math.min(0.99, Math.max(t.targeted_share, median + t.population_margin));
      const mix = ranked
        .slice(0, 3)
        .map((r) => `${r.capability} ${pct(share(r.requests, n))}`)
        .join(", ");
      accountSignals.push({
        account,
        signal: measure({
          detector: "capability",
          name: "capability_concentration",
          axis: "harvest",
          facet: "capability_targeting",
          value: focusShare,
          threshold: cut,
          saturation: Math.max(cut, t.targeted_share_saturation),
          weight: 0.08,
          explanation: `${pct(focusShare)} of ${count(n)} requests in targeted categories (${mix}; population median targeted ${pct(median)})`,
        }),
      });

      const targetedRows = rows.filter((r) => targets.has(r.capability));
      const known = targetedRows.reduce((sum, r) => sum + r.with_turns, 0);
      const standalone = targetedRows.reduce((sum, r) => sum + r.standalone, 0);
      // Only for accounts that focus on targeted work and whose clients report turn counts.
      if (focusShare >= 0.5 && known >= t.min_requests / 2) {
        const standaloneShare = share(standalone, known);
        accountSignals.push({
          account,
          signal: measure({
            detector: "capability",
            name: "targeted_without_sessions",
            axis: "harvest",
            facet: "capability_targeting",
            value: standaloneShare,
            threshold: t.standalone_share,
            saturation: t.standalone_share_saturation,
            weight: 0.1,
            explanation: `${pct(standaloneShare)} of ${count(known)} targeted requests are standalone single turns, outside any session`,
          }),
        });
      }
    }
    return { accountSignals, stats: [result.stats] };
  },
});
