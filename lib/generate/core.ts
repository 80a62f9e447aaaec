/**
 * Core types of the generator: accounts, actors (traffic sources that own one or more accounts),
 * and the shared context that turns an actor's decisions into schema records.
 */
import { DEFAULT_MODELS, type ModelSpec } from "../config/models.ts";
import type { AccountRecord, RequestRecord } from "../schema/log-schema.ts";
import { DAY_MS, HOUR_MS } from "../time.ts";
import type { Endpoint, Lang } from "./geo.ts";
import { type Rng, Weighted } from "./rng.ts";
import { charsPerToken } from "./text/i18n.ts";
import { TsFormatter, type Window } from "./time.ts";

/** `adversarial` = `stealthy` plus the shapes of issue 13 that the original detectors miss or misread. */
export type TrafficMix = "baseline" | "stealthy" | "adversarial";

/**
 * The models the synthetic traffic uses: real Claude ids from the default catalogue, so the
 * generated logs look like the traffic the audit meets (and every cap the generator maxes is the
 * cap the catalogue gives). Each replaces one of the generator's former fictional models:
 *   orion-2-mini -> claude-haiku-4-5-20251001   (the small, cheap model)
 *   orion-2      -> claude-sonnet-4-20250514    (the previous generation)
 *   orion-2.5    -> claude-sonnet-4-5-20250929  (the workhorse most traffic uses)
 *   orion-3      -> NEW_MODEL                   (the release inside the window)
 * Every one of them takes a thinking budget, which the generator's reasoning traffic needs.
 */
export interface GeneratorModel extends ModelSpec {
  readonly maxThinkingBudget: number;
}

function model(id: string): GeneratorModel {
  const m = DEFAULT_MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`model ${id} missing from lib/config/models.ts`);
  if (m.maxThinkingBudget === undefined) throw new Error(`model ${id} takes no thinking budget`);
  return { ...m, maxThinkingBudget: m.maxThinkingBudget };
}

/**
 * The model released inside the window. It is deliberately absent from the default catalogue, as
 * a model released today is absent from a catalogue written before: the audit infers its caps from
 * the traffic and finds its release by first appearance. Its caps follow the newest catalogued
 * generation (claude-opus-4-6). A test keeps it out of the catalogue.
 */
export const NEW_MODEL_ID = "claude-opus-4-7";
const NEW_MODEL: GeneratorModel = { id: NEW_MODEL_ID, maxOutputTokens: 128000, maxThinkingBudget: 127999 };

export const MODELS = {
  o2: model("claude-sonnet-4-20250514"),
  mini: model("claude-haiku-4-5-20251001"),
  o25: model("claude-sonnet-4-5-20250929"),
  o3: NEW_MODEL,
} as const;

export interface LabelInfo {
  readonly kind: "benign" | "campaign";
  readonly archetype: string;
  readonly campaign?: string;
  readonly hardNegative: boolean;
}

export class Account {
  requests = 0;
  constructor(
    readonly idx: number,
    readonly id: string,
    readonly createdMs: number,
    readonly rec: AccountRecord,
    readonly label: LabelInfo,
  ) {}
}

/** Adoption curve of the new model for one account or app (share of its traffic on the new model). */
export interface Adoption {
  /** share reached asymptotically */
  readonly max: number;
  /** hours after release before any use */
  readonly delayH: number;
  /** time constant of the ramp, hours */
  readonly tauH: number;
}

export const NO_ADOPTION: Adoption = { max: 0, delayH: 0, tauH: 1 };

/** Everything a request needs besides its id and timestamp. */
export interface Draft {
  account: Account;
  keyId: string | null;
  ep: Endpoint | null;
  ua: string | null;
  model: GeneratorModel;
  /** tokens of context besides the prompt and system prompt (history, tool definitions, documents) */
  contextTokens: number;
  outputTokens: number;
  maxTokens: number | null;
  temperature: number | null;
  thinking: number | null;
  tools: number | null;
  turns: number | null;
  conv: string | null;
  system: string | null;
  prompt: string;
  lang: Lang;
  /** probability of HTTP 429 for this request */
  p429: number;
}

const MAX_PROMPT_CHARS = 6000;

export class Ctx {
  private readonly tsf = new TsFormatter();
  /** the actor whose request is being built (set by the engine before each emit) */
  actor: Actor | null = null;

  constructor(
    readonly w: Window,
    readonly mix: TrafficMix,
  ) {}

  get releaseMs(): number | null {
    return this.w.releaseMs;
  }

  /** Share of traffic on the new model at time t under an adoption curve. */
  newModelShare(a: Adoption, tMs: number): number {
    const r = this.w.releaseMs;
    if (r === null || a.max <= 0) return 0;
    const dtH = (tMs - r) / HOUR_MS - a.delayH;
    if (dtH <= 0) return 0;
    return a.max * (1 - Math.exp(-dtH / a.tauH));
  }

  /** Picks the model: the new one with the adoption share, otherwise from the usual preferences. */
  pickModel(rng: Rng, usual: Weighted<GeneratorModel>, a: Adoption, tMs: number): GeneratorModel {
    const s = this.newModelShare(a, tMs);
    if (s > 0 && rng.next() < s) return MODELS.o3;
    return usual.pick(rng);
  }

  hourOf(tMs: number): number {
    return Math.floor((tMs - this.w.startMs) / HOUR_MS);
  }

  dayOf(tMs: number): number {
    return Math.floor((tMs - this.w.startMs) / DAY_MS);
  }

  /** Builds the schema record (keys in REQUEST_FIELDS order) and counts it for the account. */
  record(tMs: number, d: Draft): RequestRecord {
    const a = this.actor;
    if (a === null) throw new Error("Ctx.record outside of an emit");
    const u = a.statusRng.next();
    let status = 200;
    if (u < d.p429) status = 429;
    else if (u < d.p429 + 0.005) status = 500;
    else if (u < d.p429 + 0.011) status = 400;
    const prompt = d.prompt.length > MAX_PROMPT_CHARS ? d.prompt.slice(0, MAX_PROMPT_CHARS) : d.prompt;
    const billedIn =
      Math.ceil(prompt.length / charsPerToken(d.lang)) +
      (d.system === null ? 0 : Math.ceil(d.system.length / 4)) +
      Math.round(d.contextTokens) +
      8;
    let out = Math.max(1, Math.round(d.outputTokens));
    const cap = d.maxTokens ?? d.model.maxOutputTokens;
    if (out > cap) out = cap;
    d.account.requests++;
    return {
      request_id: `req_${a.idRng.id(24)}`,
      ts: this.tsf.format(tMs),
      account_id: d.account.id,
      api_key_id: d.keyId,
      source_ip: d.ep === null ? null : d.ep.ip,
      source_asn: d.ep === null ? null : d.ep.net.asn,
      source_country: d.ep === null ? null : d.ep.net.country,
      user_agent: d.ua,
      model: d.model.id,
      input_tokens: status === 429 || status === 400 ? 0 : billedIn,
      output_tokens: status === 200 ? out : 0,
      max_tokens: d.maxTokens,
      temperature: d.temperature,
      thinking_budget: d.thinking,
      tools: d.tools,
      turns: d.turns,
      conversation_id: d.conv,
      system_prompt: d.system,
      prompt,
      status,
    };
  }
}

/**
 * A traffic source. `shape(h)` gives its relative activity in hour h of the window (pure: no
 * randomness consumed); the engine scales it so the actor produces about `volume` requests in
 * total, allocates exact counts per hour, asks the actor to `schedule` them inside the hour, and
 * then calls `emit` once per scheduled request in global time order.
 */
export abstract class Actor {
  idx = 0;
  volume = 0;
  shapeSum = 0;
  /** request ids and status codes: per-actor streams, so output does not depend on interleaving */
  readonly idRng: Rng;
  readonly statusRng: Rng;
  constructor(protected readonly rng: Rng) {
    this.idRng = rng.fork("request-ids");
    this.statusRng = rng.fork("status");
  }

  abstract shape(h: number): number;
  abstract emit(tMs: number, ctx: Ctx): RequestRecord;
  abstract accounts(): readonly Account[];

  /** Offsets (ms inside the hour) of `count` requests; default: uniform. */
  schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    for (let i = 0; i < count; i++) push(this.rng.int(HOUR_MS));
  }
}

export function modelPrefs(
  entries: readonly (readonly [GeneratorModel, number])[],
): Weighted<GeneratorModel> {
  return new Weighted(entries);
}
