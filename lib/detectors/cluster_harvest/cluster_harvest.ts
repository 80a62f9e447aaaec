import { z } from "zod";
import type { ClusterSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { groupBy } from "../../group.ts";
import { measure } from "../../scoring/signal.ts";
import { count, pct, share } from "../explain.ts";
import { clusterMembers } from "../linkage/params.ts";
import { defineDetector } from "../types.ts";

interface PooledRow {
  [key: string]: string | number | null;
  cluster_id: string;
  requests: number;
  fills: number;
  elicitation_fills: number;
  standalone: number;
  targeted_standalone: number;
  model: string | null;
  with_max_tokens: number | null;
  top_max_tokens: number | null;
  at_top_max_tokens: number | null;
  top_thinking_budget: number | null;
  at_top_thinking_budget: number | null;
}

export const clusterHarvest = defineDetector({
  id: "cluster_harvest",
  title: "Pooled harvest of a linked cluster",
  stage: "cluster",
  rationale:
    "A hydra spreads one harvest over accounts so small that none reaches an account detector's " +
    "volume floor, and a rotating one replaces each head before it builds any history. Linked into " +
    "a cluster, the heads are one operator with one data set, so the cluster's traffic is measured " +
    "pooled, as one account: the share of its requests whose distinct prompts elicit reasoning, " +
    "supply an answer for reconstruction or ask for a grading; the share of requests that ask for " +
    "the model's output or thinking cap; and the share that are standalone single-turn requests in " +
    "the targeted capabilities (agentic, tool use, coding, math, data analysis).",
  benignLookalikes:
    "A startup's accounts on one card run one product: its pooled traffic is templated and " +
    "single-turn, but neither asks for reasoning nor maxes the caps. A campus behind one network " +
    "chats in conversations. An evaluation harness replays the same benchmark prompts, so its " +
    "distinct prompts are few. Coding agents max their caps in long multi-turn sessions, which are " +
    "not standalone. Each tell is one harvest signal under the harvest axis cap, so a cluster still " +
    "needs automation or coordination beside it, and the linkage that made it a cluster is that.",
  runbook: [
    "Read a sample of the cluster's prompts across members: one data set fed through many accounts?",
    "Check whether the members' outputs run to the cap: a harvest keeps every token it pays for.",
  ],
  thresholds: z
    .object({
      /** Clusters with fewer pooled requests are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** Share of pooled requests whose distinct prompts elicit reasoning traces: fires, saturates. */
      elicitation_share: z.number().min(0).max(1).default(0.3),
      elicitation_share_saturation: z.number().min(0).max(1).default(0.8),
      /** Share of pooled requests with max_tokens at the model's output or thinking cap. */
      at_cap_share: z.number().min(0).max(1).default(0.7),
      at_cap_share_saturation: z.number().min(0).max(1).default(0.95),
      /** Share of pooled requests that are standalone and in targeted capabilities. */
      targeted_share: z.number().min(0).max(1).default(0.7),
      targeted_share_saturation: z.number().min(0).max(1).default(0.95),
      targets: z
        .array(z.enum(["agentic", "tool_use", "coding", "math", "data_analysis", "writing", "other"]))
        .default(["agentic", "tool_use", "coding", "math", "data_analysis"]),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const clusters = context.clusters;
    if (clusters.length === 0) return { accountSignals: [], clusterSignals: [], stats: [] };
    const result = await context.engine.run<PooledRow>("detector_cluster_harvest", {
      ...clusterMembers(clusters),
      ...windowParams(context.window),
      target_capabilities: t.targets,
    });
    const clusterSignals: ClusterSignal[] = [];
    for (const [cluster, rows] of groupBy(result.rows, (row) => row.cluster_id)) {
      const first = rows[0] as PooledRow;
      const requests = first.requests;
      if (requests < t.min_requests) continue;
      const signal = (s: Omit<Parameters<typeof measure>[0], "detector" | "axis">) =>
        clusterSignals.push({
          cluster,
          signal: measure({ detector: "cluster_harvest", axis: "harvest", ...s }),
        });

      const elicitation = share(first.elicitation_fills, requests);
      signal({
        name: "pooled_elicitation",
        facet: "reasoning_traces",
        value: elicitation,
        threshold: t.elicitation_share,
        saturation: t.elicitation_share_saturation,
        weight: 0.3,
        explanation: `${pct(elicitation)} of the cluster's ${count(requests)} pooled requests are distinct prompts that elicit reasoning, supply an answer for reconstruction or ask for a grading`,
      });

      let atCap = 0;
      let withMaxTokens = 0;
      for (const row of rows) {
        withMaxTokens += row.with_max_tokens ?? 0;
        const model = context.models.resolve(row.model);
        if (model === undefined) continue;
        const { maxOutputTokens: outputCap, maxThinkingBudget: thinkingCap } = model;
        const output =
          outputCap !== undefined && row.top_max_tokens !== null && row.top_max_tokens >= outputCap
            ? (row.at_top_max_tokens ?? 0)
            : 0;
        const thinking =
          thinkingCap !== undefined &&
          row.top_thinking_budget !== null &&
          row.top_thinking_budget >= thinkingCap
            ? (row.at_top_thinking_budget ?? 0)
            : 0;
        atCap += Math.max(output, thinking);
      }
      if (withMaxTokens >= t.min_requests / 2) {
        const capShare = share(atCap, withMaxTokens);
        signal({
          name: "pooled_output_cap",
          facet: "output_maximisation",
          value: capShare,
          threshold: t.at_cap_share,
          saturation: t.at_cap_share_saturation,
          weight: 0.2,
          explanation: `${pct(capShare)} of the cluster's ${count(withMaxTokens)} requests with max_tokens ask for the model's output or thinking cap`,
        });
      }

      const targeted = share(first.targeted_standalone, requests);
      signal({
        name: "pooled_targeted_capability",
        facet: "capability_targeting",
        value: targeted,
        threshold: t.targeted_share,
        saturation: t.targeted_share_saturation,
        weight: 0.15,
        explanation: `${pct(targeted)} of the cluster's ${count(requests)} pooled requests are standalone single-turn requests in ${t.targets.join(", ")}`,
      });
    }
    return { accountSignals: [], clusterSignals, stats: [result.stats] };
  },
});
