/**
 * Actors of the `adversarial` mix: shared subscriber addresses (CGNAT pools, neighbourhood /24s),
 * honest products that max caps or ask for explanations, and three campaigns shaped to slip past
 * detectors written with the original generator: a hydra that burns through accounts in hours,
 * a fleet with paraphrased system prompts and tail-placed instructions, and aged accounts that
 * harvest slowly in human hours.
 */

import type { RequestRecord } from "../../schema/log-schema.ts";
import { type Account, Actor, type Adoption, type Ctx, type GeneratorModel } from "../core.ts";
import type { Endpoint, Lang } from "../geo.ts";
import type { Rng, Weighted } from "../rng.ts";
import { sessions } from "../schedule.ts";
import { agedPrompt, tailHarvestPrompt } from "../text/adversarial.ts";
import type { CurveName, Window } from "../time.ts";
import { Fleet, type FleetConfig, type Member } from "./campaigns.ts";
import { curveAt, dayFactors, dayIndex, type Egress, type NetPlan } from "./common.ts";

// ------------------------------------------------------------------ subscriber networks

/**
 * A subscriber whose home address sits in a /24 shared with strangers (a neighbourhood on one
 * ISP, addresses reassigned every couple of days) and who, on a phone, leaves through the
 * carrier's CGNAT pool: a handful of public addresses shared by everyone on that carrier.
 */
export class SubscriberNet implements NetPlan {
  constructor(
    private readonly home: readonly Endpoint[],
    private readonly cgnat: Egress | null,
    private readonly pCgnat: number,
    private readonly pNull: number,
  ) {}

  at(rng: Rng, tMs: number, _atWork: boolean): Endpoint | null {
    const u = rng.next();
    if (u < this.pNull) return null;
    if (this.cgnat !== null && u < this.pNull + this.pCgnat) return this.cgnat.pick(rng);
    return this.home[Math.floor(tMs / (2 * 86_400_000)) % this.home.length] as Endpoint;
  }
}

// ------------------------------------------------------------------ honest products

export interface ProductConfig {
  readonly accounts: readonly Account[];
  readonly keys: readonly string[];
  readonly egress: Egress;
  readonly ua: string;
  /** where the product's users live: [utc offset, weight] */
  readonly regions: readonly (readonly [number, number])[];
  readonly diurnal: CurveName;
  readonly weekly: CurveName;
  /** first hour with traffic (a launch starts mid-window) */
  readonly fromH: number;
  readonly models: Weighted<GeneratorModel>;
  readonly adoption: Adoption;
  readonly system: string | null;
  readonly first: (rng: Rng) => string;
  readonly follow: (rng: Rng) => string;
  /** chance that a request continues an open conversation of its slot */
  readonly pFollow: number;
  /** concurrent conversations (end users of the product) */
  readonly slots: number;
  /** "cap": max_tokens = the model's output cap on every request */
  readonly maxTokens: "cap" | number;
  /** output as a share of max_tokens: [low, high] and the chance of running into the cap */
  readonly outputFrac: readonly [number, number];
  readonly pAtCap: number;
  readonly pThinking: number;
  readonly temperature: number | null;
}

interface ProductConv {
  id: string;
  msgs: number;
  lastMs: number;
  model: GeneratorModel;
}

/**
 * A product that relays its users: long-form writing, tutoring, a new launch. One fixed system
 * prompt, user content inside the product's frames, conversations that sometimes continue.
 */
export class ProductActor extends Actor {
  private readonly convs: (ProductConv | null)[];
  private readonly regionWeight: number;

  constructor(
    rng: Rng,
    private readonly w: Window,
    private readonly c: ProductConfig,
  ) {
    super(rng);
    this.convs = new Array<ProductConv | null>(Math.max(1, c.slots)).fill(null);
    this.regionWeight = c.regions.reduce((s, r) => s + r[1], 0);
  }

  accounts(): readonly Account[] {
    return this.c.accounts;
  }

  shape(h: number): number {
    if (h < this.c.fromH) return 0;
    let s = 0;
    for (const [tz, wt] of this.c.regions) s += wt * curveAt(this.w, h, tz, this.c.diurnal, this.c.weekly);
    return s / this.regionWeight;
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    const slot = rng.int(this.convs.length);
    let conv = this.convs[slot] ?? null;
    const follows = conv !== null && tMs - conv.lastMs < 30 * 60_000 && rng.chance(c.pFollow);
    if (conv === null || !follows) {
      conv = { id: rng.uuid(), msgs: 0, lastMs: tMs, model: ctx.pickModel(rng, c.models, c.adoption, tMs) };
      this.convs[slot] = conv;
    }
    conv.msgs++;
    conv.lastMs = tMs;
    const model = conv.model;
    const maxTokens =
      c.maxTokens === "cap" ? model.maxOutputTokens : Math.min(c.maxTokens, model.maxOutputTokens);
    const thinks = rng.chance(c.pThinking);
    return ctx.record(tMs, {
      account: c.accounts.length === 1 ? (c.accounts[0] as Account) : rng.pick(c.accounts),
      keyId: rng.pick(c.keys),
      ep: c.egress.pick(rng),
      ua: c.ua,
      model,
      contextTokens: (conv.msgs - 1) * (400 + rng.int(1200)),
      outputTokens: rng.chance(c.pAtCap)
        ? maxTokens
        : maxTokens * rng.float(c.outputFrac[0], c.outputFrac[1]),
      maxTokens,
      temperature: thinks ? 1 : c.temperature,
      thinking: thinks ? model.maxThinkingBudget : null,
      tools: null,
      turns: 2 * conv.msgs - 1,
      conv: conv.id,
      system: c.system,
      prompt: conv.msgs === 1 ? c.first(rng) : c.follow(rng),
      lang: "en" as Lang,
      p429: 0.01,
    });
  }
}

// ------------------------------------------------------------------ campaigns

/**
 * Fleets whose residential share leaves through the very addresses real subscribers use (their
 * FleetConfig has pResidential 0: the rest goes through the fleet's hosting /24s as usual).
 */
abstract class SubscriberExitFleet extends Fleet {
  constructor(
    rng: Rng,
    w: Window,
    f: FleetConfig,
    private readonly exits: readonly Endpoint[],
    private readonly pExit: number,
  ) {
    super(rng, w, f);
  }

  protected override endpointFor(m: Member, tMs: number): Endpoint {
    if (this.exits.length > 0 && this.rng.chance(this.pExit)) return this.rng.pick(this.exits);
    return super.endpointFor(m, tMs);
  }

  protected capped(model: GeneratorModel): { maxTokens: number; outputTokens: number } {
    return { maxTokens: model.maxOutputTokens, outputTokens: this.maxedOutput(model.maxOutputTokens) };
  }
}

/**
 * A hydra whose accounts live a few hours each: when one stops, the next (signed up minutes
 * before) takes over with the same templates, user agent and networks, often the same card.
 */
export class RotatingHydraActor extends SubscriberExitFleet {
  constructor(
    rng: Rng,
    w: Window,
    f: FleetConfig,
    exits: readonly Endpoint[],
    pExit: number,
    private readonly templates: readonly ((r: Rng) => string)[],
  ) {
    super(rng, w, f, exits, pExit);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const rng = this.rng;
    const m = rng.pick(this.activeMembers(ctx.hourOf(tMs)));
    const model = this.model(tMs, ctx);
    const { maxTokens, outputTokens } = this.capped(model);
    return ctx.record(tMs, {
      account: m.account,
      keyId: m.key,
      ep: this.endpointFor(m, tMs),
      ua: m.ua,
      model,
      contextTokens: 0,
      outputTokens,
      maxTokens,
      temperature: m.temperature,
      thinking: rng.chance(0.5) ? model.maxThinkingBudget : null,
      tools: null,
      turns: 1,
      conv: null,
      system: m.system,
      prompt: (rng.pick(this.templates) as (r: Rng) => string)(rng),
      lang: "en",
      p429: this.f.p429,
    });
  }
}

/**
 * A fleet whose every account has its own paraphrase of the system prompt and whose every request
 * rewords the instruction, placed after the question where a head-only frame hash never looks.
 */
export class TailParaphraseActor extends SubscriberExitFleet {
  emit(tMs: number, ctx: Ctx): RequestRecord {
    const rng = this.rng;
    const m = rng.pick(this.activeMembers(ctx.hourOf(tMs)));
    const model = this.model(tMs, ctx);
    const { maxTokens, outputTokens } = this.capped(model);
    return ctx.record(tMs, {
      account: m.account,
      keyId: m.key,
      ep: this.endpointFor(m, tMs),
      ua: m.ua,
      model,
      contextTokens: 0,
      outputTokens,
      maxTokens,
      temperature: m.temperature,
      thinking: model.maxThinkingBudget,
      tools: null,
      turns: 1,
      conv: null,
      system: m.system,
      prompt: tailHarvestPrompt(rng),
      lang: "en",
      p429: this.f.p429,
    });
  }
}

export interface AgedConfig {
  readonly account: Account;
  readonly key: string;
  readonly tz: number;
  readonly ua: string;
  /** its sticky home-like exit and an occasional phone exit, both shared with subscribers */
  readonly net: NetPlan;
  readonly models: Weighted<GeneratorModel>;
  readonly adoption: Adoption;
  readonly pActiveDay: number;
}

/**
 * An aged account (months old) harvesting slowly in its operator's waking hours: sessions like a
 * person's, but every request single-turn with thinking and output caps maxed, asking for the
 * derivation in everyday words.
 */
export class AgedSlowActor extends Actor {
  private readonly days: Float32Array;

  constructor(
    rng: Rng,
    private readonly w: Window,
    private readonly c: AgedConfig,
  ) {
    super(rng);
    this.days = dayFactors(rng, w.days, c.pActiveDay);
  }

  accounts(): readonly Account[] {
    return [this.c.account];
  }

  shape(h: number): number {
    return curveAt(this.w, h, this.c.tz, "human", "human") * (this.days[dayIndex(h, this.c.tz)] as number);
  }

  override schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    sessions(this.rng, count, push, 6, 150_000);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    const model = ctx.pickModel(rng, c.models, c.adoption, tMs);
    const cap = model.maxOutputTokens;
    return ctx.record(tMs, {
      account: c.account,
      keyId: c.key,
      ep: c.net.at(rng, tMs, false),
      ua: c.ua,
      model,
      contextTokens: 0,
      outputTokens: rng.chance(0.3) ? cap : cap * rng.float(0.4, 1),
      maxTokens: cap,
      temperature: 1,
      thinking: model.maxThinkingBudget,
      tools: null,
      turns: 1,
      conv: null,
      system: null,
      prompt: agedPrompt(rng),
      lang: "en",
      p429: 0.008,
    });
  }
}
