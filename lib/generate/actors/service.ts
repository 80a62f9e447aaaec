/**
 * Accounts that relay many people: enterprises (many keys, internal tools), startup products,
 * reseller platforms. Optionally injects campaign traffic (the `reseller-mix` campaign).
 */
import type { RequestRecord } from "../../schema/log-schema.ts";
import { type Account, Actor, type Adoption, type Ctx, type Draft } from "../core.ts";
import type { Endpoint } from "../geo.ts";
import type { Rng } from "../rng.ts";
import type { CurveName, Window } from "../time.ts";
import { ConvPool, type ConvStyle, curveAt, type Egress } from "./common.ts";

export interface Injection {
  readonly share: number;
  readonly adoption: Adoption;
  readonly build: (
    rng: Rng,
    tMs: number,
    ctx: Ctx,
  ) => Omit<Draft, "account" | "keyId" | "ep" | "ua" | "p429">;
}

export interface ServiceConfig {
  readonly accounts: readonly Account[];
  readonly keys: readonly string[];
  /** offices / user regions: [utc offset, weight] */
  readonly regions: readonly (readonly [number, number])[];
  readonly diurnal: CurveName;
  readonly weekly: CurveName;
  readonly style: ConvStyle;
  readonly poolSize: number;
  /** server-side egress and, optionally, office egress used by a share of requests */
  readonly egress: Egress;
  readonly office: Egress | null;
  readonly pOffice: number;
  readonly uas: readonly string[];
  readonly systems: readonly (string | null)[];
  readonly pTools: number;
  readonly p429: number;
  readonly injection: Injection | null;
}

export class ServiceActor extends Actor {
  private readonly pool: ConvPool;
  private readonly regionWeight: number;

  constructor(
    rng: Rng,
    private readonly w: Window,
    private readonly c: ServiceConfig,
  ) {
    super(rng);
    this.pool = new ConvPool(c.style, c.poolSize);
    this.regionWeight = c.regions.reduce((s, r) => s + r[1], 0);
  }

  accounts(): readonly Account[] {
    return this.c.accounts;
  }

  shape(h: number): number {
    let s = 0;
    for (const [tz, wt] of this.c.regions) s += wt * curveAt(this.w, h, tz, this.c.diurnal, this.c.weekly);
    return s / this.regionWeight;
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    const account = c.accounts.length === 1 ? (c.accounts[0] as Account) : rng.pick(c.accounts);
    const keyId = rng.pick(c.keys);
    const ep: Endpoint = c.office !== null && rng.chance(c.pOffice) ? c.office.pick(rng) : c.egress.pick(rng);
    const ua = rng.pick(c.uas);
    if (c.injection !== null && rng.chance(c.injection.share)) {
      const d = c.injection.build(rng, tMs, ctx);
      return ctx.record(tMs, { ...d, account, keyId, ep, ua, p429: c.p429 });
    }
    const t = this.pool.next(ctx, rng, tMs);
    return ctx.record(tMs, {
      account,
      keyId,
      ep,
      ua,
      model: t.model,
      contextTokens: t.contextTokens,
      outputTokens: t.outputTokens,
      maxTokens: t.maxTok,
      temperature: t.temp,
      thinking: t.thinking,
      tools: rng.chance(c.pTools) ? rng.range(1, 8) : null,
      turns: t.turns,
      conv: t.conv,
      system: rng.pick(c.systems),
      prompt: t.prompt,
      lang: t.lang,
      p429: c.p429,
    });
  }
}
