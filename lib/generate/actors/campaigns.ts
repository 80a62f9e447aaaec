/**
 * Distillation campaigns: networks of accounts driven by one operator. Each campaign is one actor
 * that owns all of its accounts and decides, request by request, which account fronts it.
 */
import type { RequestRecord } from "../../schema/log-schema.ts";
import { HOUR_MS } from "../../time.ts";
import { type Account, Actor, type Adoption, type Ctx, type GeneratorModel } from "../core.ts";
import { type Endpoint, endpoint, ipIn24, type Lang, type Net, type Subnet24 } from "../geo.ts";
import { hash32, type Rng, type Weighted } from "../rng.ts";
import { paced, waves } from "../schedule.ts";
import {
  CAREFUL_SYSTEM,
  carefulPrompt,
  evasivePrompt,
  hydraPrompt,
  REASONING_SYSTEM,
  reasoningPrompt,
} from "../text/campaign.ts";
import type { CurveName, Window } from "../time.ts";
import { curveAt } from "./common.ts";

/** Per-account traits of a fleet member. */
export interface Member {
  readonly account: Account;
  readonly key: string;
  readonly ua: string;
  readonly temperature: number;
  /** active hours [fromH, toH) relative to the window start */
  readonly fromH: number;
  readonly toH: number;
  /** indices into the campaign's paraphrase / template set (evasive-spread) */
  readonly variants: readonly number[];
  readonly system: string | null;
}

export interface FleetConfig {
  readonly members: readonly Member[];
  readonly proxies: readonly Subnet24[];
  /** share of requests sent through residential proxies instead of the hosting /24s */
  readonly pResidential: number;
  readonly residential: readonly Net[];
  readonly models: Weighted<GeneratorModel>;
  readonly adoption: Adoption;
  /** volume multiplier once the campaign has pivoted to the new model */
  readonly releaseBoost: number;
  /** optional human-like modulation (stealthier fleets): tz and curve */
  readonly mimic: { readonly tz: number; readonly curve: CurveName; readonly amp: number } | null;
  readonly p429: number;
  readonly salt: number;
}

/** Shared machinery: which members are active in an hour, proxies, model pivot. */
export abstract class Fleet extends Actor {
  protected readonly activeCount: Int32Array;
  private activeHour = -1;
  private active: Member[] = [];

  constructor(
    rng: Rng,
    protected readonly w: Window,
    protected readonly f: FleetConfig,
  ) {
    super(rng);
    this.activeCount = new Int32Array(w.hours);
    for (const m of f.members) {
      for (let h = Math.max(0, m.fromH); h < Math.min(w.hours, m.toH); h++)
        this.activeCount[h] = (this.activeCount[h] as number) + 1;
    }
  }

  accounts(): readonly Account[] {
    return this.f.members.map((m) => m.account);
  }

  protected modulation(h: number): number {
    let x = 1;
    const r = this.w.releaseMs;
    if (r !== null && this.w.startMs + h * HOUR_MS >= r + this.f.adoption.delayH * HOUR_MS)
      x *= this.f.releaseBoost;
    const m = this.f.mimic;
    if (m !== null) x *= 1 - m.amp + m.amp * curveAt(this.w, h, m.tz, m.curve, "human");
    return x;
  }

  shape(h: number): number {
    return (this.activeCount[h] as number) * this.modulation(h);
  }

  protected activeMembers(h: number): Member[] {
    if (h !== this.activeHour) {
      this.activeHour = h;
      this.active = this.f.members.filter((m) => h >= m.fromH && h < m.toH);
      if (this.active.length === 0) this.active = this.f.members.slice(0, 1);
    }
    return this.active;
  }

  /** The address a member uses at time t: its hosting /24 of the moment, or a residential proxy. */
  protected endpointFor(m: Member, tMs: number): Endpoint {
    const rng = this.rng;
    const f = this.f;
    if (f.pResidential > 0 && rng.chance(f.pResidential)) return endpoint(rng.pick(f.residential), rng, 0.1);
    const block = Math.floor((tMs - this.w.startMs) / (4 * HOUR_MS));
    const s = f.proxies[hash32(m.account.idx, block, f.salt) % f.proxies.length] as Subnet24;
    return { ip: ipIn24(s, rng), net: s.net };
  }

  protected model(tMs: number, ctx: Ctx): GeneratorModel {
    return ctx.pickModel(this.rng, this.f.models, this.f.adoption, tMs);
  }

  /** Output length of a request that asks for everything the cap allows. */
  protected maxedOutput(cap: number): number {
    const rng = this.rng;
    return rng.chance(0.25) ? cap : cap * rng.float(0.3, 1);
  }
}

// ------------------------------------------------------------------ hydra-agentic

export class HydraActor extends Fleet {
  constructor(
    rng: Rng,
    w: Window,
    f: FleetConfig,
    private readonly variants: number,
  ) {
    super(rng, w, f);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const rng = this.rng;
    const m = rng.pick(this.activeMembers(ctx.hourOf(tMs)));
    const model = this.model(tMs, ctx);
    const tools = rng.range(6, 22);
    return ctx.record(tMs, {
      account: m.account,
      keyId: m.key,
      ep: this.endpointFor(m, tMs),
      ua: m.ua,
      model,
      contextTokens: tools * 150,
      outputTokens: this.maxedOutput(model.maxOutputTokens),
      maxTokens: model.maxOutputTokens,
      temperature: m.temperature,
      thinking: null,
      tools,
      turns: 1,
      conv: null,
      system: m.system,
      prompt: hydraPrompt(rng, this.variants),
      lang: "en",
      p429: this.f.p429,
    });
  }
}

// ------------------------------------------------------------------ reasoning-trace

export class ReasoningTraceActor extends Fleet {
  private cursor = 0;
  private readonly blocks: Uint8Array;

  constructor(
    rng: Rng,
    w: Window,
    f: FleetConfig,
    private readonly variants: number,
    private readonly jitterMs: number,
    private readonly pLocal: number,
    private readonly langs: readonly Exclude<Lang, "en">[],
  ) {
    super(rng, w, f);
    // the operator runs its harvesting jobs in blocks of a few hours, several times a day
    this.blocks = new Uint8Array(w.hours);
    let h = rng.range(0, 5);
    while (h < w.hours) {
      const len = rng.range(2, 7);
      for (let i = h; i < Math.min(w.hours, h + len); i++) this.blocks[i] = 1;
      h += len + rng.range(1, 8);
    }
  }

  override shape(h: number): number {
    return this.blocks[h] === 1 ? (this.activeCount[h] as number) * this.modulation(h) : 0;
  }

  override schedule(h: number, count: number, push: (offsetMs: number) => void): void {
    const n = this.activeMembers(h).length;
    waves(this.rng, count, push, Math.max(1, n), this.jitterMs);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const rng = this.rng;
    const members = this.activeMembers(ctx.hourOf(tMs));
    // requests of a wave go to consecutive members, so every account fires in the same minute
    const m = members[this.cursor++ % members.length] as Member;
    const model = this.model(tMs, ctx);
    const lang: Lang = rng.chance(this.pLocal) ? rng.pick(this.langs) : "en";
    return ctx.record(tMs, {
      account: m.account,
      keyId: m.key,
      ep: this.endpointFor(m, tMs),
      ua: m.ua,
      model,
      contextTokens: 0,
      outputTokens: this.maxedOutput(model.maxOutputTokens),
      maxTokens: model.maxOutputTokens,
      temperature: m.temperature,
      thinking: model.maxThinkingBudget,
      tools: null,
      turns: 1,
      conv: null,
      system: m.system ?? (rng.chance(0.5) ? REASONING_SYSTEM : null),
      prompt: reasoningPrompt(rng, this.variants, lang),
      lang,
      p429: this.f.p429,
    });
  }
}

// ------------------------------------------------------------------ careful-small

export class CarefulSmallActor extends Fleet {
  private cursor = 0;

  constructor(
    rng: Rng,
    w: Window,
    f: FleetConfig,
    private readonly tz: number,
    private readonly shared: readonly Endpoint[],
  ) {
    super(rng, w, f);
  }

  override shape(h: number): number {
    return (
      curveAt(this.w, h, this.tz, "office", "office") * this.modulation(h) * (this.activeCount[h] as number)
    );
  }

  override schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    paced(this.rng, count, push, 0.5);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const rng = this.rng;
    const members = this.activeMembers(ctx.hourOf(tMs));
    // round-robin load balancing over the accounts, in order
    const i = this.cursor++ % members.length;
    const m = members[i] as Member;
    const model = this.model(tMs, ctx);
    const cap = Math.min(4096, model.maxOutputTokens);
    return ctx.record(tMs, {
      account: m.account,
      keyId: m.key,
      ep:
        this.shared.length > 0 ? (this.shared[i % this.shared.length] as Endpoint) : this.endpointFor(m, tMs),
      ua: m.ua,
      model,
      contextTokens: 0,
      outputTokens: rng.lognormal(650, 0.45),
      maxTokens: cap,
      temperature: m.temperature,
      thinking: null,
      tools: null,
      turns: 1,
      conv: null,
      system: CAREFUL_SYSTEM,
      prompt: carefulPrompt(rng),
      lang: "en",
      p429: this.f.p429,
    });
  }
}

// ------------------------------------------------------------------ evasive-spread

export class EvasiveSpreadActor extends Fleet {
  emit(tMs: number, ctx: Ctx): RequestRecord {
    const rng = this.rng;
    const m = rng.pick(this.activeMembers(ctx.hourOf(tMs)));
    const model = this.model(tMs, ctx);
    const thinking = m.temperature === 1 ? model.maxThinkingBudget : null;
    const cap = model.maxOutputTokens;
    return ctx.record(tMs, {
      account: m.account,
      keyId: m.key,
      ep: this.endpointFor(m, tMs),
      ua: m.ua,
      model,
      contextTokens: 0,
      outputTokens: this.maxedOutput(cap),
      maxTokens: cap,
      temperature: m.temperature,
      thinking,
      tools: null,
      turns: 1,
      conv: null,
      system: m.system,
      prompt: evasivePrompt(rng, rng.pick(m.variants)),
      lang: "en",
      p429: this.f.p429,
    });
  }
}
