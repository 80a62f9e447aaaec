/** Builders of the five distillation campaigns (accounts, traits, fleets). */

import { DAY_MS, HOUR_MS } from "../../time.ts";
import {
  CarefulSmallActor,
  EvasiveSpreadActor,
  type FleetConfig,
  HydraActor,
  type Member,
  ReasoningTraceActor,
} from "../actors/campaigns.ts";
import type { Injection } from "../actors/service.ts";
import { RARE_AGENTS, SDK_AGENTS } from "../agents.ts";
import { type Account, type Actor, type Adoption, type Ctx, MODELS, modelPrefs } from "../core.ts";
import {
  CLOUD_NETS,
  country,
  type Endpoint,
  type Lang,
  NETS,
  PROXY_NETS,
  pickCountry,
  pickTz,
  type Subnet24,
  subnet24,
} from "../geo.ts";
import {
  card,
  companyDomain,
  homeSignupIp,
  oldCreatedMs,
  personalDomain,
  throwawayDomain,
} from "../identity.ts";
import { Rng } from "../rng.ts";
import { EVASIVE_PARAPHRASE_COUNT, HYDRA_SYSTEM, resellerCampaignPrompt } from "../text/campaign.ts";
import { OTHER_LANGS } from "../text/i18n.ts";
import type { BenignBuilder } from "./benign.ts";
import { type BuildContext, campaign, clamp, evasiveMix } from "./shared.ts";

export class CampaignBuilder {
  readonly actors: Actor[] = [];

  constructor(
    private readonly cx: BuildContext,
    /** reseller-mix reuses the platform builders of the benign side */
    private readonly benign: BenignBuilder,
  ) {}

  private fleetMember(
    account: Account,
    rng: Rng,
    fromH: number,
    toH: number,
    ua: string,
    temperature: number,
    system: string | null,
    variants: number[] = [],
  ): Member {
    return { account, key: `key_${rng.id(16)}`, ua, temperature, fromH, toH, variants, system };
  }

  private proxies(rng: Rng, n: number, nets = PROXY_NETS): Subnet24[] {
    const out: Subnet24[] = [];
    for (let i = 0; i < n; i++) out.push(subnet24(rng.pick(nets), rng));
    return out;
  }

  private residentialPool(rng: Rng): typeof NETS {
    return rng.sample(
      NETS.filter((x) => x.kind === "residential" || x.kind === "mobile"),
      12,
    );
  }

  private pivot(rng: Rng, max: number, delay: [number, number], tau: number): Adoption {
    return { max, delayH: rng.float(delay[0], delay[1]), tauH: tau };
  }

  private hoursFrom(ms: number): number {
    return Math.ceil((ms - this.cx.w.startMs) / HOUR_MS);
  }

  hydra(nAcc: number, volume: number): void {
    const rng = new Rng(this.cx.seed, "campaign-hydra");
    const stealthy = evasiveMix(this.cx.mix);
    const w = this.cx.w;
    const label = campaign("hydra-agentic");
    const domains = Array.from({ length: rng.range(3, 5) }, () => throwawayDomain(rng));
    if (stealthy) domains.push("gmail.com", "outlook.com");
    const cards = Array.from({ length: Math.max(2, Math.round(nAcc / 12)) }, () => card(rng));
    const nBursts = clamp(Math.round(nAcc / 30), 2, 14);
    const rareUa = RARE_AGENTS[1];
    const campaignTemp = rng.pick([0.7, 1]);
    const members: Member[] = [];
    const countries = ["US", "GB", "SG", "CA", "DE", "JP", "KR", "AU"];
    let made = 0;
    for (let b = 0; b < nBursts; b++) {
      const size =
        b === nBursts - 1 ? nAcc - made : Math.max(1, Math.round((nAcc / nBursts) * rng.float(0.6, 1.4)));
      const burstMs =
        b === 0 || rng.chance(0.35)
          ? w.startMs - rng.float(1, 12) * DAY_MS
          : w.startMs + rng.float(0, 0.85) * (w.endMs - w.startMs);
      const cc = rng.pick(countries);
      const type = rng.pick(["startup", "individual"]);
      const bDomains = rng.sample(domains, rng.range(1, 2));
      const bCards = rng.sample(cards, rng.range(1, 3));
      const signup24 = subnet24(rng.pick(PROXY_NETS), rng);
      for (let i = 0; i < size && made < nAcc; i++, made++) {
        const created = burstMs + rng.float(0, 3) * HOUR_MS;
        const a = this.cx.book.add(
          created,
          {
            payment: rng.pick(bCards),
            email: rng.pick(bDomains),
            country: cc,
            ip: `${signup24.prefix}.${rng.range(2, 254)}`,
            type,
          },
          label,
        );
        const from = this.hoursFrom(created + rng.float(0.2, 6) * HOUR_MS);
        const to = rng.chance(0.15) ? from + rng.range(24, Math.max(25, w.hours)) : w.hours + 1;
        const ua = rng.chance(stealthy ? 0.2 : 0.7)
          ? rareUa
          : stealthy
            ? SDK_AGENTS.pick(rng)
            : "python-httpx/0.27.2";
        const temp = stealthy ? rng.pick([0.6, 0.7, 0.8, 0.9, 1]) : campaignTemp;
        const system = stealthy ? (rng.chance(0.5) ? rng.pick(HYDRA_SYSTEM) : null) : HYDRA_SYSTEM[0];
        members.push(this.fleetMember(a, rng, from, to, ua, temp, system));
      }
    }
    const f: FleetConfig = {
      members,
      proxies: this.proxies(rng, stealthy ? rng.range(8, 14) : rng.range(3, 6)),
      pResidential: stealthy ? 0.25 : 0,
      residential: this.residentialPool(rng),
      models: modelPrefs([
        [MODELS.o25, 0.85],
        [MODELS.o2, 0.15],
      ]),
      adoption: stealthy ? this.pivot(rng, 0.85, [1, 5], 5) : this.pivot(rng, 0.92, [0.5, 3], 3),
      releaseBoost: 1.3,
      mimic: stealthy ? { tz: pickTz(country(rng.pick(countries)), rng), curve: "human", amp: 0.35 } : null,
      p429: stealthy ? 0.02 : 0.04,
      salt: rng.u32(),
    };
    const actor = new HydraActor(rng.fork("actor"), w, f, stealthy ? 8 : 4);
    actor.volume = volume;
    this.actors.push(actor);
  }

  reasoningTrace(nAcc: number, volume: number): number {
    const rng = new Rng(this.cx.seed, "campaign-reasoning");
    const stealthy = evasiveMix(this.cx.mix);
    const w = this.cx.w;
    const label = campaign("reasoning-trace");
    const domains = [throwawayDomain(rng), throwawayDomain(rng), "gmail.com"];
    const cards = Array.from({ length: rng.range(2, 5) }, () => card(rng));
    const ccs = [pickCountry(rng).code, pickCountry(rng).code];
    const bursts = [rng.float(3, 30), rng.float(3, 30), rng.float(1, 10)];
    const members: Member[] = [];
    const signup24 = subnet24(rng.pick(PROXY_NETS), rng);
    for (let i = 0; i < nAcc; i++) {
      const created = w.startMs - (rng.pick(bursts) - rng.float(0, 0.1)) * DAY_MS;
      const a = this.cx.book.add(
        created,
        {
          payment: rng.pick(cards),
          email: rng.pick(domains),
          country: rng.pick(ccs),
          ip: `${signup24.prefix}.${rng.range(2, 254)}`,
          type: rng.pick(["individual", "individual", "research"]),
        },
        label,
      );
      const ua = stealthy
        ? SDK_AGENTS.pick(rng)
        : rng.chance(0.6)
          ? (RARE_AGENTS[0] as string)
          : "python-requests/2.31.0";
      members.push(this.fleetMember(a, rng, 0, w.hours + 1, ua, 1, null));
    }
    const f: FleetConfig = {
      members,
      proxies: this.proxies(rng, stealthy ? rng.range(5, 8) : rng.range(2, 4)),
      pResidential: stealthy ? 0.3 : 0,
      residential: this.residentialPool(rng),
      models: modelPrefs([
        [MODELS.o25, 0.9],
        [MODELS.o2, 0.1],
      ]),
      adoption: this.pivot(rng, 0.9, [1, 4], 3),
      releaseBoost: 1.2,
      mimic: null,
      p429: 0.03,
      salt: rng.u32(),
    };
    const actor = new ReasoningTraceActor(
      rng.fork("actor"),
      w,
      f,
      stealthy ? 6 : 3,
      stealthy ? 150_000 : 20_000,
      0.15,
      OTHER_LANGS,
    );
    actor.volume = volume;
    this.actors.push(actor);
    return volume;
  }

  careful(meanBenign: number, cap: number): number {
    const rng = new Rng(this.cx.seed, "campaign-careful");
    const stealthy = evasiveMix(this.cx.mix);
    const w = this.cx.w;
    const nAcc = rng.range(3, 6);
    const label = campaign("careful-small");
    const c = country(rng.pick(["US", "SG", "GB", "CA"]));
    const domain = rng.chance(0.5) ? companyDomain(c.code, rng) : "gmail.com";
    const cards = [card(rng), card(rng)];
    const net = rng.pick(CLOUD_NETS);
    const sub = subnet24(net, rng);
    const members: Member[] = [];
    for (let i = 0; i < nAcc; i++) {
      const created = oldCreatedMs(rng, w.startMs, 30, 120);
      const a = this.cx.book.add(
        created,
        {
          payment: stealthy ? rng.pick(cards) : (cards[0] as string),
          email: domain,
          country: c.code,
          ip: homeSignupIp(c.code, rng).ip,
          type: "startup",
        },
        label,
      );
      members.push(this.fleetMember(a, rng, 0, w.hours + 1, "anthropic-python/0.40.0", 0, null));
    }
    const shared: Endpoint[] = stealthy ? [] : [{ ip: `${sub.prefix}.${rng.range(2, 254)}`, net }];
    const f: FleetConfig = {
      members,
      // baseline: every account behind one shared IP; stealthy: rotating over a few /24s
      proxies: stealthy
        ? [sub, subnet24(rng.pick(CLOUD_NETS), rng), subnet24(rng.pick(PROXY_NETS), rng)]
        : [sub],
      pResidential: 0,
      residential: [],
      models: modelPrefs([[MODELS.o25, 1]]),
      adoption: this.pivot(rng, 0.85, [2, 8], 4),
      releaseBoost: 1,
      mimic: null,
      p429: 0.01,
      salt: rng.u32(),
    };
    const actor = new CarefulSmallActor(rng.fork("actor"), w, f, pickTz(c, rng), shared);
    actor.volume = Math.min(nAcc * meanBenign, cap);
    this.actors.push(actor);
    return actor.volume;
  }

  evasiveSpread(volume: number): number {
    const rng = new Rng(this.cx.seed, "campaign-evasive");
    const stealthy = evasiveMix(this.cx.mix);
    const w = this.cx.w;
    const label = campaign("evasive-spread");
    const perAcct = stealthy ? 60 : 110;
    const nAcc = clamp(Math.round(volume / perAcct), stealthy ? 12 : 8, 6000);
    const domains = Array.from({ length: 6 }, () => throwawayDomain(rng));
    const cardPool = Array.from({ length: Math.max(2, Math.round(nAcc / 5)) }, () => card(rng));
    const uaPool = Array.from({ length: 6 }, () => SDK_AGENTS.pick(rng));
    const paraphrases = stealthy ? EVASIVE_PARAPHRASE_COUNT : 5;
    const members: Member[] = [];
    for (let i = 0; i < nAcc; i++) {
      const dur = rng.range(24, 48);
      const fromH = Math.round(((i + rng.next()) / nAcc) * (w.hours + 24) - 24);
      const created = w.startMs + fromH * HOUR_MS - rng.float(1, 30) * HOUR_MS;
      const cc = pickCountry(rng).code;
      const a = this.cx.book.add(
        created,
        {
          payment: stealthy && rng.chance(0.7) ? card(rng) : rng.pick(cardPool),
          email: rng.chance(0.5) ? personalDomain(cc, rng) : rng.pick(domains),
          country: cc,
          ip: rng.chance(0.5)
            ? homeSignupIp(cc, rng).ip
            : `${subnet24(rng.pick(PROXY_NETS), rng).prefix}.${rng.range(2, 254)}`,
          type: "individual",
        },
        label,
      );
      const variants = rng.sample(
        Array.from({ length: paraphrases }, (_, k) => k),
        rng.range(1, 3),
      );
      const temp = rng.pick([0.5, 0.7, 0.8, 1]);
      const system = rng.chance(0.3) ? "You are a patient tutor." : null;
      members.push(this.fleetMember(a, rng, fromH, fromH + dur, rng.pick(uaPool), temp, system, variants));
    }
    const f: FleetConfig = {
      members,
      proxies: this.proxies(rng, rng.range(6, 10)),
      pResidential: stealthy ? 0.85 : 0.5,
      residential: this.residentialPool(rng),
      models: modelPrefs([
        [MODELS.o25, 0.8],
        [MODELS.o2, 0.2],
      ]),
      adoption: this.pivot(rng, 0.85, [1, 6], 4),
      releaseBoost: 1.2,
      mimic: stealthy ? { tz: rng.pick([-5, 1, 8]), curve: "human", amp: 0.5 } : null,
      p429: 0.015,
      salt: rng.u32(),
    };
    const actor = new EvasiveSpreadActor(rng.fork("actor"), w, f);
    actor.volume = volume;
    this.actors.push(actor);
    return volume;
  }

  resellerMix(volume: number): number {
    const rng = new Rng(this.cx.seed, "campaign-reseller");
    const stealthy = evasiveMix(this.cx.mix);
    const accounts = this.benign.platformAccounts(rng, rng.range(1, 2), campaign("reseller-mix"));
    const adoption = this.pivot(rng, 0.9, [1, 3], 3);
    const usual = modelPrefs([[MODELS.o25, 1]]);
    const injection: Injection = {
      share: stealthy ? rng.float(0.4, 0.5) : rng.float(0.45, 0.6),
      adoption,
      build: (r: Rng, tMs: number, ctx: Ctx) => {
        const model = ctx.pickModel(r, usual, adoption, tMs);
        const thinks = r.chance(0.5);
        const tools = r.chance(0.4) ? r.range(8, 16) : null;
        return {
          model,
          contextTokens: (tools ?? 0) * 150,
          outputTokens: r.chance(0.25) ? model.maxOutputTokens : model.maxOutputTokens * r.float(0.3, 1),
          maxTokens: model.maxOutputTokens,
          temperature: 1,
          thinking: thinks ? model.maxThinkingBudget : null,
          tools,
          turns: 1,
          conv: r.uuid(),
          system: null,
          prompt: resellerCampaignPrompt(r),
          lang: "en" as Lang,
        };
      },
    };
    const actor = this.benign.platform(rng.fork("actor"), accounts, injection);
    actor.volume = volume;
    this.actors.push(actor);
    return volume;
  }
}
