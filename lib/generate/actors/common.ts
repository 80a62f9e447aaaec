/** Building blocks shared by actors: conversations, client networks, per-day activity. */
import { DAY_MS, HOUR_MS } from "../../time.ts";
import type { Adoption, Ctx, GeneratorModel } from "../core.ts";
import {
  type Endpoint,
  endpoint,
  endpointIn24,
  type Lang,
  type Net,
  type Subnet24,
  subnet24,
} from "../geo.ts";
import type { Rng, Weighted } from "../rng.ts";
import { firstPrompt, followUp, type Topic, withPaste } from "../text/benign.ts";
import { localFollowUp, localPrompt } from "../text/i18n.ts";
import { type CurveName, DIURNAL, WEEKLY, type Window } from "../time.ts";

/** How an actor's human users converse. */
export interface ConvStyle {
  readonly topics: Weighted<Topic>;
  readonly langs: Weighted<Lang>;
  readonly models: Weighted<GeneratorModel>;
  readonly adoption: Adoption;
  /** mean number of user messages per conversation */
  readonly meanMsgs: number;
  readonly convIds: "none" | "conv" | "uuid";
  readonly temps: readonly (number | null)[];
  readonly maxToks: readonly (number | null)[];
  readonly thinkingShare: number;
  readonly thinkingBudget: number;
  readonly outputMedian: number;
  /** conversations idle longer than this are over */
  readonly idleMs: number;
  /** share of opening messages that carry pasted material (drafts, notes, code, logs) */
  readonly pasteRate: number;
}

export interface Conv {
  id: string | null;
  topic: Topic;
  lang: Lang;
  msg: number;
  len: number;
  lastMs: number;
  model: GeneratorModel;
  temp: number | null;
  maxTok: number | null;
  thinking: number | null;
  slot: number;
}

export interface Turn {
  prompt: string;
  lang: Lang;
  turns: number;
  conv: string | null;
  model: GeneratorModel;
  temp: number | null;
  maxTok: number | null;
  thinking: number | null;
  contextTokens: number;
  outputTokens: number;
}

/**
 * A pool of concurrent conversations (1 for a single person, dozens for a platform relaying many
 * end users). Each request continues an open conversation or starts a new one in a slot.
 */
export class ConvPool {
  private readonly slots: (Conv | null)[];

  constructor(
    private readonly style: ConvStyle,
    size: number,
  ) {
    this.slots = new Array<Conv | null>(Math.max(1, size)).fill(null);
  }

  next(ctx: Ctx, rng: Rng, tMs: number): Turn {
    const slot = rng.int(this.slots.length);
    let c = this.slots[slot] ?? null;
    if (c === null || tMs - c.lastMs > this.style.idleMs || c.msg >= c.len) {
      c = this.start(ctx, rng, tMs, slot);
      this.slots[slot] = c;
    }
    c.msg++;
    c.lastMs = tMs;
    const s = this.style;
    let prompt: string;
    if (c.lang === "en") {
      prompt = c.msg === 1 ? firstPrompt(c.topic, rng) : followUp(c.topic, rng);
      if (rng.chance(c.msg === 1 ? s.pasteRate : s.pasteRate / 2)) prompt = withPaste(prompt, c.topic, rng);
    } else prompt = c.msg === 1 ? localPrompt(c.lang, rng) : localFollowUp(c.lang, rng);
    return {
      prompt,
      lang: c.lang,
      turns: 2 * c.msg - 1,
      conv: c.id,
      model: c.model,
      temp: c.temp,
      maxTok: c.maxTok,
      thinking: c.thinking,
      contextTokens: (c.msg - 1) * (260 + rng.int(360)),
      outputTokens: rng.lognormal(s.outputMedian, 0.75),
    };
  }

  private start(ctx: Ctx, rng: Rng, tMs: number, slot: number): Conv {
    const s = this.style;
    const model = ctx.pickModel(rng, s.models, s.adoption, tMs);
    const maxTok = rng.pick(s.maxToks);
    const thinks = rng.chance(s.thinkingShare);
    return {
      id: s.convIds === "none" ? null : s.convIds === "uuid" ? rng.uuid() : `conv_${rng.id(20)}`,
      topic: s.topics.pick(rng),
      lang: s.langs.pick(rng),
      msg: 0,
      len: 1 + Math.floor(rng.exp(Math.max(0.01, s.meanMsgs - 1))),
      lastMs: tMs,
      model,
      temp: thinks ? 1 : rng.pick(s.temps),
      maxTok: maxTok === null ? null : Math.min(maxTok, model.maxOutputTokens),
      thinking: thinks ? Math.min(s.thinkingBudget, model.maxThinkingBudget) : null,
      slot,
    };
  }
}

/** Where an actor's requests come from at a given time. */
export interface NetPlan {
  at(rng: Rng, tMs: number, atWork: boolean): Endpoint | null;
}

/** Where a person's requests come from: home (stable /24, address rotating every few days), mobile, office. */
export class PersonNet implements NetPlan {
  private readonly home: Endpoint[];
  private readonly office: Endpoint | null;

  constructor(
    rng: Rng,
    homeNet: Net,
    private readonly mobile: Net | null,
    office: Net | null,
    private readonly pMobile: number,
    private readonly pNull: number,
    v6Share = 0.2,
  ) {
    if (homeNet.v6 !== undefined && rng.chance(v6Share)) {
      this.home = [endpoint(homeNet, rng, 1), endpoint(homeNet, rng, 1)];
    } else {
      const s = subnet24(homeNet, rng);
      this.home = [endpointIn24(s, rng), endpointIn24(s, rng), endpointIn24(s, rng), endpointIn24(s, rng)];
    }
    this.office = office === null ? null : endpoint(office, rng, 0);
  }

  at(rng: Rng, tMs: number, atWork: boolean): Endpoint | null {
    const u = rng.next();
    if (u < this.pNull) return null;
    if (atWork && this.office !== null) return this.office;
    if (this.mobile !== null && u < this.pNull + this.pMobile) return endpoint(this.mobile, rng, 0.3);
    return this.home[Math.floor(tMs / (3 * DAY_MS)) % this.home.length] as Endpoint;
  }
}

/** Members of an organisation behind a shared NAT (most traffic), sometimes from home. */
export class NatNet implements NetPlan {
  constructor(
    private readonly nat: Egress,
    private readonly home: PersonNet,
    private readonly pHome: number,
  ) {}

  at(rng: Rng, tMs: number, atWork: boolean): Endpoint | null {
    if (!atWork && rng.chance(this.pHome)) return this.home.at(rng, tMs, false);
    return this.nat.pick(rng);
  }
}

/** Fixed egress addresses (NAT, servers): a few IPs in one or two /24s. */
export class Egress {
  readonly eps: Endpoint[];
  constructor(rng: Rng, nets: readonly Net[], count: number, subnets = 1) {
    const subs: Subnet24[] = [];
    for (let i = 0; i < subnets; i++) subs.push(subnet24(rng.pick(nets), rng));
    this.eps = [];
    for (let i = 0; i < count; i++) this.eps.push(endpointIn24(subs[i % subs.length] as Subnet24, rng));
  }
  pick(rng: Rng): Endpoint {
    return rng.pick(this.eps);
  }
}

/** Local hour and weekday of hour index h for someone at UTC offset tz (arithmetic, no Date). */
export function localClock(w: Window, h: number, tz: number): { hour: number; weekday: number; day: number } {
  const localMs = w.startMs + h * HOUR_MS + HOUR_MS / 2 + tz * HOUR_MS;
  const dayNum = Math.floor(localMs / DAY_MS);
  const hour = Math.floor((localMs - dayNum * DAY_MS) / HOUR_MS);
  // 1970-01-01 was a Thursday (index 3 with Monday = 0)
  const weekday = (((dayNum + 3) % 7) + 7) % 7;
  return { hour, weekday, day: dayNum };
}

/** Diurnal × weekly activity at hour h. */
export function curveAt(w: Window, h: number, tz: number, diurnal: CurveName, weekly: CurveName): number {
  const localMs = w.startMs + h * HOUR_MS + HOUR_MS / 2 + tz * HOUR_MS;
  const dayNum = Math.floor(localMs / DAY_MS);
  const hour = Math.floor((localMs - dayNum * DAY_MS) / HOUR_MS);
  const weekday = (((dayNum + 3) % 7) + 7) % 7;
  return (DIURNAL[diurnal][hour] as number) * (WEEKLY[weekly][weekday] as number);
}

/**
 * Per-day activity multipliers (people skip days, have busy days). Indexed by local day relative to
 * the window start (one extra day on each side for time zones).
 */
export function dayFactors(rng: Rng, days: number, pActive: number): Float32Array {
  const f = new Float32Array(days + 2);
  for (let i = 0; i < f.length; i++) f[i] = rng.chance(pActive) ? 0.3 + rng.exp(0.9) : 0;
  return f;
}

/** Local day index of hour h (0 = the window's first UTC day; +1 so that day -1 maps to 0). */
export function dayIndex(h: number, tz: number): number {
  const localMs = h * HOUR_MS + HOUR_MS / 2 + tz * HOUR_MS;
  return Math.floor(localMs / DAY_MS) + 1;
}

export function keyId(rng: Rng): string {
  return `key_${rng.id(16)}`;
}
