import { z } from "zod";
import type { AuditConfig } from "../../config/config.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { count, pct } from "../explain.ts";
import type { AccountSignal } from "../types.ts";
import { defineDetector } from "../types.ts";

interface PivotRow {
  [key: string]: string | number | null;
  new_model: string;
  released: number;
  account_id: string;
  requests: number;
  on_new: number;
  new_skeletons: number;
  requests_before: number;
  population_accounts: number;
  population_adopters: number;
  population_requests: number;
  population_on_new: number;
  population_sum_shares: number;
}

const DAY_MS = 86_400_000;

/**
 * Configured release dates the window can see (from 24 hours before it, so a release just before
 * the window still has part of its first day inside), and every model the configuration dates at
 * all: those are never "new" by first appearance, whatever the window shows.
 */
export function releaseParams(config: AuditConfig, window: { start: Date; end: Date }) {
  const dated = config.models.filter((m) => m.releasedAt !== undefined);
  const visible = dated.filter((m) => {
    const at = Date.parse(m.releasedAt as string);
    return at >= window.start.getTime() - DAY_MS && at < window.end.getTime();
  });
  return {
    release_models: visible.map((m) => m.id),
    release_epochs: visible.map((m) => String(Date.parse(m.releasedAt as string) / 1000)),
    dated_models: dated.map((m) => m.id),
  };
}

export const modelPivot = defineDetector({
  id: "model_pivot",
  title: "Model-release pivot",
  stage: "account",
  rationale:
    "A distillation operation wants the newest model's outputs before the provider notices, so it " +
    "re-points its pipeline within hours of a release: most of its traffic moves to the new model on " +
    "day one, and it moves as a pipeline (the same templates, at the same volume). The detector " +
    "finds newly seen models (a configured release date inside the window, or a model absent from " +
    "the window's first hours that several accounts then adopt) and measures, per account, the share " +
    "of its traffic in the 24 hours after the release that went to the new model, against the share " +
    "the other accounts moved.",
  benignLookalikes:
    "Early adopters switch quickly too: developers trying the release and applications upgraded on " +
    "day one. The signal therefore weighs little on one account, less again when the moved traffic " +
    "is varied (a person exploring, not a pipeline re-pointed), and not at all when the whole " +
    "population moved as fast. Accounts that only try the new model beside their old one do not " +
    "fire. The pivot matters when a linked cluster moves together and its members carry other tells.",
  runbook: [
    "Compare the account's traffic before and after the release: same templates and volume re-pointed at the new model?",
    "Check whether the account's linked cluster moved within the same hours.",
    "Look at what the account sent to the new model first: capability probes and reasoning prompts, or its product's usual requests?",
  ],
  thresholds: z
    .object({
      /** Without a configured date, a model is new only if the window's first hours show none of it. */
      min_unseen_hours: z.number().min(0).default(12),
      /** A new model needs this many accounts using it in its first 24 hours (a release, not a stray). */
      min_adopters: z.number().int().min(1).default(3),
      /** Accounts with fewer requests in the 24 hours after a release are not measured. */
      min_requests: z.number().int().min(1).default(20),
      /** Share of the account's traffic in those 24 hours on the new model: fires, saturates. */
      share: z.number().min(0).max(1).default(0.5),
      share_saturation: z.number().min(0).max(1).default(0.95),
      /** ...and at least this multiple of the average share the other accounts moved. */
      lift: z.number().min(1).default(2),
      /** Moved traffic repeating templates at least this much (1 - distinct/requests) is a pipeline. */
      pipeline_repeat_share: z.number().min(0).max(1).default(0.5),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<PivotRow>("detector_model_pivot", {
      ...windowParams(context.window),
      ...releaseParams(context.config, context.window),
      min_unseen_hours: t.min_unseen_hours,
      min_adopters: t.min_adopters,
      min_new_requests: 1,
    });
    // One signal per account: its strongest pivot, should the window hold several releases.
    const strongest = new Map<string, AccountSignal>();
    for (const row of result.rows) {
      if (row.requests < t.min_requests) continue;
      const share = row.on_new / row.requests;
      // The other accounts' average share: the account's own move is taken out of the baseline.
      const others = Math.max(1, row.population_accounts - 1);
      const baseline = Math.max(0, (row.population_sum_shares - share) / others);
      const repeat = 1 - row.new_skeletons / Math.max(1, row.on_new);
      const pipeline = repeat >= t.pipeline_repeat_share;
      const signal = measure({
        detector: "model_pivot",
        name: "new_model_pivot",
        value: share,
        threshold: t.share,
        saturation: t.share_saturation,
        // A re-pointed pipeline is the tell; a person exploring the release is an early adopter.
        weight: pipeline ? 0.15 : 0.06,
        explanation:
          `${row.requests_before > 0 ? "moved" : "started with"} ${pct(share)} of its traffic to ${row.new_model} ` +
          `within 24 h of its release (${count(row.on_new)} of ${count(row.requests)} requests, ` +
          `${pipeline ? `${pct(repeat)} on repeated templates` : "varied prompts"}); other accounts moved ${pct(baseline)} on average`,
      });
      const unusual = share >= t.lift * baseline;
      const measured = unusual ? signal : { ...signal, fired: false, contribution: 0 };
      const previous = strongest.get(row.account_id)?.signal;
      if (
        !previous ||
        measured.contribution > previous.contribution ||
        (!previous.fired && measured.value > previous.value)
      ) {
        strongest.set(row.account_id, { account: row.account_id, signal: measured });
      }
    }
    return { accountSignals: [...strongest.values()], stats: [result.stats] };
  },
});
