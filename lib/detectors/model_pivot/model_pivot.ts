import { z } from "zod";
import type { ModelCatalogue } from "../../config/catalogue.ts";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { DAY_MS } from "../../time.ts";
import { count, pct } from "../explain.ts";
import { defineDetector } from "../types.ts";

interface PivotRow {
  [key: string]: string | number | null;
  new_model: string;
  released: number;
  account_id: string;
  requests: number;
  on_new: number;
  requests_before: number;
  population_accounts: number;
  population_adopters: number;
  population_requests: number;
  population_on_new: number;
  population_median_share: number;
}

/**
 * Catalogued release dates the window can see (from 24 hours before it, so a release just before
 * the window still has part of its first day inside), and every model the catalogue dates at all:
 * those are never "new" by first appearance, whatever the window shows, since the catalogue knows
 * when they came out. Ids are canonical: the query reads every alias as its canonical id.
 */
export function releaseParams(models: ModelCatalogue, window: { start: Date; end: Date }) {
  const dated = models.models.filter((m) => m.releasedAt !== undefined);
  const visible = dated.filter((m) => {
    const at = Date.parse(m.releasedAt as string);
    return at >= window.start.getTime() - DAY_MS && at < window.end.getTime();
  });
  const aliases = models.aliases();
  return {
    model_aliases: aliases.names.map((alias, i) => `${alias}\u001f${aliases.canonical[i]}`),
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
    "day one, the whole pipeline at once, often through freshly opened accounts. The detector " +
    "finds newly seen models (a catalogued release date inside the window, or a model the catalogue " +
    "does not date that is absent from the window's first hours and that several accounts then adopt; " +
    "a model's aliases, such as its Bedrock ids, count as the model) and measures, per account, the share " +
    "of its traffic in the 24 hours after the release that went to the new model, against the share " +
    "the median account moved.",
  benignLookalikes:
    "Early adopters switch quickly too: developers trying the release and applications upgraded on " +
    "day one. The signal therefore weighs little on one account (never a finding alone), and not at " +
    "all when the typical account moved as fast (the comparison is with the median account, which a " +
    "large campaign moving at once cannot drag along). Accounts that only try the new model beside " +
    "their old one do not fire. The pivot matters when a linked cluster moves together and its " +
    "members carry other tells: cluster scoring counts it once per alike member.",
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
      /** ...and at least this multiple of the share the median account moved. */
      lift: z.number().min(1).default(2),
    })
    .strict(),
  requires: {},
  async run(context, t) {
    const result = await context.engine.run<PivotRow>("detector_model_pivot", {
      ...windowParams(context.window),
      ...releaseParams(context.models, context.window),
      min_unseen_hours: t.min_unseen_hours,
      min_adopters: t.min_adopters,
      min_new_requests: 1,
    });
    // One signal per account: its strongest pivot, should the window hold several releases.
    const strongest = new Map<string, AccountSignal>();
    for (const row of result.rows) {
      if (row.requests < t.min_requests) continue;
      const share = row.on_new / row.requests;
      const baseline = row.population_median_share;
      const signal = measure({
        detector: "model_pivot",
        name: "new_model_pivot",
        axis: "coordination",
        facet: "pivot",
        value: share,
        threshold: t.share,
        saturation: t.share_saturation,
        weight: 0.12,
        explanation:
          `${row.requests_before > 0 ? "moved" : "started with"} ${pct(share)} of its traffic to ${row.new_model} ` +
          `within 24 h of its release (${count(row.on_new)} of ${count(row.requests)} requests); ` +
          `the median account moved ${pct(baseline)}`,
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
