/** One human (or a tiny team) using the API directly: casual users, developers, NAT-org members. */
import type { RequestRecord } from "../../schema/log-schema.ts";
import { HOUR_MS } from "../../time.ts";
import { type Account, Actor, type Ctx } from "../core.ts";
import type { Rng } from "../rng.ts";
import { sessions } from "../schedule.ts";
import type { CurveName, Window } from "../time.ts";
import {
  ConvPool,
  type ConvStyle,
  curveAt,
  dayFactors,
  dayIndex,
  localClock,
  type NetPlan,
} from "./common.ts";

export interface PersonConfig {
  readonly account: Account;
  readonly keys: readonly string[];
  readonly tz: number;
  readonly diurnal: CurveName;
  readonly weekly: CurveName;
  readonly pActiveDay: number;
  readonly style: ConvStyle;
  readonly net: NetPlan;
  /** main user agent and an occasional second one (e.g. curl while testing) */
  readonly ua: string;
  readonly ua2: string | null;
  readonly system: string | null;
  /** mean requests per session and mean gap between them */
  readonly perSession: number;
  readonly gapMs: number;
}

export class PersonActor extends Actor {
  private readonly pool: ConvPool;
  private readonly days: Float32Array;
  private readonly activeFromH: number;

  constructor(
    rng: Rng,
    private readonly w: Window,
    private readonly c: PersonConfig,
  ) {
    super(rng);
    this.pool = new ConvPool(c.style, 1);
    this.days = dayFactors(rng, w.days, c.pActiveDay);
    this.activeFromH = Math.ceil((c.account.createdMs - w.startMs) / HOUR_MS);
  }

  accounts(): readonly Account[] {
    return [this.c.account];
  }

  shape(h: number): number {
    if (h < this.activeFromH) return 0;
    const c = this.c;
    return curveAt(this.w, h, c.tz, c.diurnal, c.weekly) * (this.days[dayIndex(h, c.tz)] as number);
  }

  override schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    sessions(this.rng, count, push, this.c.perSession, this.c.gapMs);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    const t = this.pool.next(ctx, rng, tMs);
    const clock = localClock(this.w, ctx.hourOf(tMs), c.tz);
    const atWork = clock.weekday < 5 && clock.hour >= 9 && clock.hour < 18;
    return ctx.record(tMs, {
      account: c.account,
      keyId: c.keys.length === 1 ? (c.keys[0] as string) : rng.pick(c.keys),
      ep: c.net.at(rng, tMs, atWork),
      ua: c.ua2 !== null && rng.chance(0.08) ? c.ua2 : c.ua,
      model: t.model,
      contextTokens: t.contextTokens,
      outputTokens: t.outputTokens,
      maxTokens: t.maxTok,
      temperature: t.temp,
      thinking: t.thinking,
      tools: rng.chance(0.04) ? rng.range(1, 4) : null,
      turns: t.turns,
      conv: t.conv,
      system: c.system,
      prompt: t.prompt,
      lang: t.lang,
      p429: 0.006,
    });
  }
}
