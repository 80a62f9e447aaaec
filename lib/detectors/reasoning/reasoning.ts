import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { byAccount, capLabel, count, pct, share } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface ReasoningRow {
  [key: string]: string | number | null;
  account_id: string;
  requests: number;
  reasoning: number;
  reconstruction: number;
  grading: number;
  rewrite: number;
  reasoning_requests: number;
  p50_reasoning_share: number | null;
  model: string;
  model_requests: number;
  top_budget: number;
  at_top_budget: number;
}

const share01 = z.number().min(0).max(1);

export const reasoning = defineDetector({
  id: "reasoning",
  title: "Reasoning-trace elicitation",
  stage: "account",
  rationale:
    "The most valuable thing to distil is the model's reasoning. Campaigns ask for step-by-step " +
    "reasoning on every prompt, supply a known answer and ask the model to reconstruct the reasoning " +
    "that leads to it (the strongest tell: it only makes sense when the output, not the answer, is " +
    "what is wanted), use the model as a grader with a rubric (reward data), ask for 'safe' rewrites " +
    "(preference data), and set the thinking budget to the model's maximum. Each share counts distinct " +
    "prompts per request, so replaying the same items does not count twice. The step-by-step cut-off " +
    "is raised above the population median when such prompts are common in this population. Accounts " +
    "below the volume floor (50 requests) are not measured.",
  benignLookalikes:
    "Evaluation harnesses send templated 'think step by step' prompts in bursts, but replay the same " +
    "benchmark items run after run (so their distinct-prompt shares are low) and rarely max the thinking " +
    "budget; tutoring and education apps ask for worked solutions; LLM-as-judge pipelines grade with " +
    "rubrics; moderation tools rewrite text. So step-by-step (0.12), grading (0.12) and rewriting (0.1) " +
    "weigh little, answer reconstruction 0.28, thinking at the cap 0.18: it takes several of them " +
    "together, or support from other detectors, to reach medium.",
  runbook: [
    "Read sample prompts: does the account hand the model an answer and ask for the reasoning behind it?",
    "Check whether the account is a known evaluation, research or education customer, and whether its prompts repeat across runs.",
    "Compare its thinking budget and output lengths with what its stated product needs.",
  ],
  thresholds: z
    .object({
      /** Accounts below this many requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(50),
      /** Accounts with at least this many requests form the population whose median is compared. */
      population_min_requests: z.number().int().min(1).default(20),
      /** Share of requests (distinct prompts) asking for step-by-step reasoning. */
      reasoning_share: share01.default(0.3),
      reasoning_share_saturation: share01.default(0.8),
      /** The step-by-step cut-off is at least the population median plus this margin. */
      population_margin: share01.default(0.25),
      /** Share of requests supplying an answer and asking for the reasoning behind it. */
      reconstruction_share: share01.default(0.2),
      reconstruction_share_saturation: share01.default(0.6),
      /** Share of requests asking the model to grade against a rubric. */
      grading_share: share01.default(0.3),
      grading_share_saturation: share01.default(0.8),
      /** Share of requests asking for a safer or rephrased rewrite. */
      rewrite_share: share01.default(0.3),
      rewrite_share_saturation: share01.default(0.8),
      /** Share of requests with the thinking budget at the model's configured maximum. */
      max_thinking_share: share01.default(0.5),
      max_thinking_share_saturation: share01.default(0.95),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<ReasoningRow>("detector_reasoning", {
      ...windowParams(context.window),
      population_min_requests: t.population_min_requests,
      min_requests: t.min_requests,
    });
    const accountSignals: AccountSignal[] = [];
    const signal = (account: string, s: Parameters<typeof measure>[0]) =>
      accountSignals.push({ account, signal: measure(s) });

    for (const [account, rows] of byAccount(result.rows)) {
      const a = rows[0] as ReasoningRow;
      const n = a.requests;
      const median = a.p50_reasoning_share ?? 0;
      const reasoningCut = Math.min(0.99, Math.max(t.reasoning_share, median + t.population_margin));
      const reasoningShare = share(a.reasoning, n);
      signal(account, {
        detector: "reasoning",
        name: "step_by_step",
        axis: "harvest",
        facet: "reasoning_traces",
        value: reasoningShare,
        threshold: reasoningCut,
        saturation: Math.max(reasoningCut, t.reasoning_share_saturation),
        weight: 0.12,
        explanation: `${pct(reasoningShare)} of ${count(n)} requests ask for step-by-step reasoning with a distinct prompt (${count(a.reasoning_requests)} such requests in all; population median ${pct(median)})`,
      });
      const reconstruction = share(a.reconstruction, n);
      signal(account, {
        detector: "reasoning",
        name: "answer_reconstruction",
        axis: "harvest",
        facet: "reasoning_traces",
        value: reconstruction,
        threshold: t.reconstruction_share,
        saturation: t.reconstruction_share_saturation,
        weight: 0.28,
        explanation: `${pct(reconstruction)} of ${count(n)} requests supply an answer and ask for the reasoning that leads to it (${count(a.reconstruction)} distinct prompts)`,
      });
      const grading = share(a.grading, n);
      signal(account, {
        detector: "reasoning",
        name: "rubric_grading",
        axis: "harvest",
        facet: "grading",
        value: grading,
        threshold: t.grading_share,
        saturation: t.grading_share_saturation,
        weight: 0.12,
        explanation: `${pct(grading)} of ${count(n)} requests ask the model to grade against a rubric (${count(a.grading)} distinct prompts)`,
      });
      const rewrite = share(a.rewrite, n);
      signal(account, {
        detector: "reasoning",
        name: "safe_rewrite",
        axis: "harvest",
        facet: "rewriting",
        value: rewrite,
        threshold: t.rewrite_share,
        saturation: t.rewrite_share_saturation,
        weight: 0.1,
        explanation: `${pct(rewrite)} of ${count(n)} requests ask for a safer or rephrased rewrite (${count(a.rewrite)} distinct prompts)`,
      });

      // Thinking at the cap: per model, the requests at its highest budget when that budget reaches
      // the model's maximum (from the catalogue, or for a model it lacks, the window's highest budget).
      let atCap = 0;
      const cappedModels: string[] = [];
      for (const row of rows) {
        const model = context.models.resolve(row.model);
        const cap = model?.maxThinkingBudget;
        if (model && cap !== undefined && row.top_budget > 0 && row.top_budget >= cap) {
          atCap += row.at_top_budget;
          cappedModels.push(capLabel(model, row.top_budget));
        }
      }
      const thinkingShare = share(atCap, n);
      signal(account, {
        detector: "reasoning",
        name: "max_thinking_budget",
        axis: "harvest",
        facet: "thinking_maximisation",
        value: thinkingShare,
        threshold: t.max_thinking_share,
        saturation: t.max_thinking_share_saturation,
        weight: 0.18,
        explanation:
          cappedModels.length === 0
            ? `no request sets the thinking budget at the model's maximum (${count(n)} requests)`
            : `${pct(thinkingShare)} of ${count(n)} requests set the thinking budget at the model's maximum (${cappedModels.join(", ")})`,
      });
    }
    return { accountSignals, stats: [result.stats] };
  },
});
