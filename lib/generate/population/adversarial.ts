/**
 * The shapes the `adversarial` mix adds to the `stealthy` population (issue 13, "your own generator
 * learns the lesson"): honest traffic that shares what naive links and rules key on, and three
 * campaigns built to escape them. Sizes scale with the benign population B; see
 * lib/generate/README.md for the table.
 *
 * Every actor draws from streams created here after the original population, so adding this mix
 * changes nothing in `baseline` or `stealthy`.
 */
import { DAY_MS, HOUR_MS } from "../../time.ts";
import {
  AgedSlowActor,
  ProductActor,
  RotatingHydraActor,
  SubscriberNet,
  TailParaphraseActor,
} from "../actors/adversarial.ts";
import type { FleetConfig, Member } from "../actors/campaigns.ts";
import { Egress, type NetPlan, PersonNet } from "../actors/common.ts";
import { AppActor } from "../actors/hard.ts";
import { PersonActor } from "../actors/person.ts";
import { BROWSER_AGENTS, customAppAgent, DEV_AGENTS, SDK_AGENTS } from "../agents.ts";
import { type Account, type Actor, type Adoption, MODELS, modelPrefs } from "../core.ts";
import {
  CLOUD_NETS,
  type Country,
  country,
  type Endpoint,
  endpoint,
  endpointIn24,
  homeNets,
  mobileNets,
  PROXY_NETS,
  pickCountry,
  pickTz,
  type Subnet24,
  subnet24,
} from "../geo.ts";
import { card, companyDomain, homeSignupIp, oldCreatedMs, personalDomain } from "../identity.ts";
import { Rng } from "../rng.ts";
import {
  clientTemplate,
  launchPrompt,
  longformFollowUp,
  longformPrompt,
  paraphrasedSystem,
  ROTATING_SYSTEMS,
  ROTATING_TEMPLATES,
  SYSTEM_VARIANTS,
  tutoringFollowUp,
  tutoringPrompt,
  WHITE_LABEL_TEMPLATES,
} from "../text/adversarial.ts";
import { followUp } from "../text/benign.ts";
import type { BenignBuilder } from "./benign.ts";
import {
  APP_VPS_NETS,
  type BenignArchetype,
  type BuildContext,
  benign,
  campaign,
  clamp,
  createdInWindowOrBefore,
  DEV_TOPICS,
  EDU_TOPICS,
  topics,
  usualModels,
  type Weighed,
} from "./shared.ts";

/** A residential /24 several unrelated households sit in (one ISP, one neighbourhood). */
interface Neighbourhood {
  readonly cc: string;
  readonly sub: Subnet24;
}

/** A mobile carrier's CGNAT gateways: a few public addresses for all of its subscribers. */
interface CarrierPool {
  readonly cc: string;
  readonly egress: Egress;
}

/** The subscriber address space strangers share and campaigns' residential proxies exit through. */
export interface SubscriberSpace {
  readonly hoods: readonly Neighbourhood[];
  readonly carriers: readonly CarrierPool[];
  /** addresses campaigns exit through: every CGNAT gateway and addresses inside every neighbourhood */
  readonly exits: readonly Endpoint[];
}

function subscriberSpace(rng: Rng): SubscriberSpace {
  const hoodCountries = ["US", "US", "US", "US", "GB", "DE", "IN", "BR", "FR", "JP"];
  const hoods = hoodCountries.map((cc) => ({ cc, sub: subnet24(rng.pick(homeNets(cc)), rng) }));
  // US carriers run two gateway pools in this world, IN one; each gateway /24 holds a few addresses
  const carriers = ["US", "US", "IN"].map((cc) => ({
    cc,
    egress: new Egress(rng, mobileNets(cc), rng.range(4, 7)),
  }));
  const exits: Endpoint[] = [];
  for (const c of carriers) exits.push(...c.egress.eps);
  for (const h of hoods) for (let i = 0; i < 3; i++) exits.push(endpointIn24(h.sub, rng));
  return { hoods, carriers, exits };
}

export class AdversarialBuilder {
  readonly weighed: Weighed[] = [];
  /** the campaigns only this mix has */
  readonly actors: Actor[] = [];
  readonly space: SubscriberSpace;

  constructor(
    private readonly cx: BuildContext,
    private readonly benignBuilder: BenignBuilder,
  ) {
    this.space = subscriberSpace(new Rng(cx.seed, "adversarial-subscribers"));
  }

  private hoursFrom(ms: number): number {
    return Math.ceil((ms - this.cx.w.startMs) / HOUR_MS);
  }

  private carrierOf(cc: string, rng: Rng): Egress | null {
    const mine = this.space.carriers.filter((c) => c.cc === cc);
    return mine.length === 0 ? null : rng.pick(mine).egress;
  }

  // ---------------------------------------------------------------- honest look-alikes

  benign(B: number): Weighed[] {
    this.signupCohorts(B);
    this.cgnatSubscribers(clamp(Math.round(B * 0.08), 12, 2000));
    this.neighbours();
    this.templateTenants(clamp(Math.round(B * 0.04), 6, 500));
    this.agencies(clamp(Math.round(B * 0.006), 1, 60));
    this.longformWriters(clamp(Math.round(B * 0.01), 2, 150));
    this.tutoringApps(clamp(Math.round(B * 0.01), 2, 150));
    this.powerUsers(clamp(Math.round(B * 0.03), 4, 600));
    this.launches(clamp(Math.round(B * 0.008), 2, 100));
    return this.weighed;
  }

  /** An ordinary person on the API (casual style) with the given sign-up traits and network. */
  private person(
    rng: Rng,
    archetype: BenignArchetype,
    c: Country,
    createdMs: number,
    email: string,
    net: NetPlan,
  ): PersonActor {
    const a = this.cx.book.add(
      createdMs,
      { payment: card(rng), email, country: c.code, ip: homeSignupIp(c.code, rng).ip, type: "individual" },
      benign(archetype),
    );
    return new PersonActor(rng, this.cx.w, {
      account: a,
      keys: this.cx.keys(rng, 1),
      tz: pickTz(c, rng),
      diurnal: "human",
      weekly: "human",
      pActiveDay: rng.float(0.3, 0.9),
      style: this.benignBuilder.casualStyle(rng, c, this.benignBuilder.casualAdoption(rng)),
      net,
      ua: rng.chance(0.5) ? rng.pick(BROWSER_AGENTS) : SDK_AGENTS.pick(rng),
      ua2: null,
      system: null,
      perSession: 4,
      gapMs: 90_000,
    });
  }

  private homeNet(rng: Rng, c: Country): PersonNet {
    return new PersonNet(rng, rng.pick(homeNets(c.code)), rng.pick(mobileNets(c.code)), null, 0.15, 0.04);
  }

  /**
   * Honest sign-ups at a realistic base rate: a steady trickle every day, plus two waves (a press
   * mention, a class told to sign up) where many people open accounts within a few hours with the
   * most common traits of all (US, gmail.com, individual) - what a naive sign-up-burst link keys on.
   */
  private signupCohorts(B: number): void {
    const w = this.cx.w;
    const rng = new Rng(this.cx.seed, "adversarial-cohorts");
    const waveSize = clamp(Math.round(B * 0.09), 12, 2000);
    const waveDays = [-rng.range(1, 5), Math.min(w.days - 1, rng.range(1, Math.max(1, w.days - 2)))];
    for (const day of waveDays) {
      // US afternoon in UTC
      const t0 = w.startMs + day * DAY_MS + rng.float(15, 21) * HOUR_MS;
      for (let i = 0; i < waveSize; i++) {
        const r = this.cx.actorRng();
        const common = r.chance(0.75);
        const c = common ? country("US") : pickCountry(r);
        const email = common ? "gmail.com" : personalDomain(c.code, r);
        const created = t0 + r.float(0, 5) * HOUR_MS;
        this.weighed.push({
          actor: this.person(r, "signup_cohort", c, created, email, this.homeNet(r, c)),
          weight: r.lognormal(1, 1),
        });
      }
    }
    const perDay = clamp(Math.round(B * 0.012), 1, 300);
    for (let day = -3; day < w.days; day++) {
      for (let i = 0; i < perDay; i++) {
        const r = this.cx.actorRng();
        const c = pickCountry(r);
        const created = w.startMs + (day + r.next()) * DAY_MS;
        this.weighed.push({
          actor: this.person(r, "signup_cohort", c, created, personalDomain(c.code, r), this.homeNet(r, c)),
          weight: r.lognormal(1, 1),
        });
      }
    }
  }

  /** Strangers on one mobile carrier: most of their requests leave through the same few CGNAT addresses. */
  private cgnatSubscribers(n: number): void {
    for (let i = 0; i < n; i++) {
      const r = this.cx.actorRng();
      const pool = this.space.carriers[i % this.space.carriers.length] as CarrierPool;
      const c = country(pool.cc);
      const net = new SubscriberNet([endpoint(r.pick(homeNets(c.code)), r, 0)], pool.egress, 0.75, 0.03);
      const created = createdInWindowOrBefore(r, this.cx.w, 0.05);
      this.weighed.push({
        actor: this.person(r, "cgnat_subscriber", c, created, personalDomain(c.code, r), net),
        weight: r.lognormal(1, 1),
      });
    }
  }

  /** Households of one neighbourhood /24: their home addresses are reassigned inside the same /24. */
  private neighbours(): void {
    for (const hood of this.space.hoods) {
      const hr = this.cx.actorRng();
      const size = hr.range(2, 4);
      for (let i = 0; i < size; i++) {
        const r = this.cx.actorRng();
        const c = country(hood.cc);
        const home = [endpointIn24(hood.sub, r), endpointIn24(hood.sub, r), endpointIn24(hood.sub, r)];
        const net = new SubscriberNet(home, this.carrierOf(c.code, r), 0.1, 0.03);
        const created = createdInWindowOrBefore(r, this.cx.w, 0.03);
        this.weighed.push({
          actor: this.person(r, "residential_neighbour", c, created, personalDomain(c.code, r), net),
          weight: r.lognormal(1.2, 0.9),
        });
      }
    }
  }

  /**
   * Unrelated shops running the same white-label plugin: one system prompt and frame (and the
   * plugin's user agent) across companies, each with its own card, its own old account, its own
   * servers and its own customers' messages inside the template.
   */
  private templateTenants(n: number): void {
    const plugins = ["shopassist-plugin", "reviewglow-widget"];
    for (let i = 0; i < n; i++) {
      const r = this.cx.actorRng();
      const t = i % WHITE_LABEL_TEMPLATES.length;
      const tpl = WHITE_LABEL_TEMPLATES[t] as (typeof WHITE_LABEL_TEMPLATES)[number];
      const c = country(r.pick(["US", "US", "GB", "DE", "CA", "AU", "NL", "FR"]));
      const a = this.cx.book.add(
        oldCreatedMs(r, this.cx.w.startMs, 120, 4 * 365),
        {
          payment: card(r),
          email: companyDomain(c.code, r),
          country: c.code,
          ip: homeSignupIp(c.code, r).ip,
          type: r.pick(["startup", "startup", "enterprise"]),
        },
        benign("template_tenant"),
      );
      const actor = new AppActor(r, this.cx.w, {
        account: a,
        keys: this.cx.keys(r, r.range(1, 2)),
        kind: tpl.kind,
        egress: new Egress(r, [r.chance(0.7) ? r.pick(CLOUD_NETS) : r.pick(APP_VPS_NETS)], r.range(1, 4)),
        ua: `${plugins[t]}/${r.pick(["2.3.1", "2.4.0", "2.4.2"])}`,
        tz: pickTz(c, r),
        model: r.pick([MODELS.mini, MODELS.o25]),
        temperature: r.pick([0.2, 0.3, 0.5]),
        maxTokens: r.pick([512, 1024]),
        poolSize: r.range(200, 600),
        pFresh: r.float(0.2, 0.5),
        template: { system: tpl.system, frame: tpl.frame },
      });
      this.weighed.push({ actor, weight: r.lognormal(25, 0.6) });
    }
  }

  /**
   * An agency that builds and runs apps for its clients: one card and one set of servers for all
   * of them, one account per client app, each with its own prompt and content.
   */
  private agencies(n: number): void {
    const w = this.cx.w;
    for (let g = 0; g < n; g++) {
      const r = this.cx.actorRng();
      const c = country(r.pick(["US", "GB", "DE", "NL", "IN", "BR"]));
      const domain = companyDomain(c.code, r);
      const agencyName = domain.split(".")[0] ?? "studio";
      const pay = card(r);
      const egress = new Egress(r, [r.pick(CLOUD_NETS)], r.range(2, 4));
      const founded = oldCreatedMs(r, w.startMs, 90, 3 * 365);
      const clients = r.range(5, 10);
      for (let j = 0; j < clients; j++) {
        const cr = this.cx.actorRng();
        const clientDomain = companyDomain(c.code, cr);
        const clientName = clientDomain.split(".")[0] ?? "client";
        const tpl = clientTemplate(cr, clientName);
        const a = this.cx.book.add(
          Math.min(founded + cr.float(0, 300) * DAY_MS, w.startMs - cr.float(2, 20) * DAY_MS),
          {
            payment: pay,
            email: cr.chance(0.7) ? domain : clientDomain,
            country: c.code,
            ip: homeSignupIp(c.code, cr).ip,
            type: "startup",
          },
          benign("agency_client"),
        );
        const actor = new AppActor(cr, w, {
          account: a,
          keys: this.cx.keys(cr, 1),
          kind: tpl.kind,
          egress,
          ua: `${agencyName}-apps/${cr.range(1, 3)}.${cr.range(0, 9)}`,
          tz: pickTz(c, cr),
          model: cr.pick([MODELS.mini, MODELS.o25]),
          temperature: cr.pick([0, 0.2, 0.4]),
          maxTokens: cr.pick([256, 512, 1024]),
          poolSize: cr.range(100, 400),
          pFresh: cr.float(0.15, 0.4),
          template: { system: tpl.system, frame: tpl.frame },
        });
        this.weighed.push({ actor, weight: cr.lognormal(10, 0.6) });
      }
    }
  }

  private productAccount(rng: Rng, c: Country, archetype: BenignArchetype, createdMs: number): Account {
    return this.cx.book.add(
      createdMs,
      {
        payment: card(rng),
        email: companyDomain(c.code, rng),
        country: c.code,
        ip: homeSignupIp(c.code, rng).ip,
        type: "startup",
      },
      benign(archetype),
    );
  }

  /** Writing products (novels, reports): max_tokens at the model's cap on every request, long outputs. */
  private longformWriters(n: number): void {
    for (let i = 0; i < n; i++) {
      const r = this.cx.actorRng();
      const c = country(r.pick(["US", "GB", "CA", "DE", "AU"]));
      const name = r.pick(["Quillmate", "Draftsmith", "Chapterly", "Longhand", "Inkwell Pro"]);
      const a = this.productAccount(r, c, "longform_writer", oldCreatedMs(r, this.cx.w.startMs, 60, 2 * 365));
      const actor = new ProductActor(r, this.cx.w, {
        accounts: [a],
        keys: this.cx.keys(r, r.range(1, 3)),
        egress: new Egress(r, [r.pick(CLOUD_NETS)], r.range(2, 5)),
        ua: customAppAgent(r),
        regions: [
          [pickTz(c, r), 1],
          [-5, 0.5],
          [1, 0.4],
        ],
        diurnal: "human",
        weekly: "human",
        fromH: 0,
        models: modelPrefs([
          [MODELS.o25, 8],
          [MODELS.o2, 1],
        ]),
        adoption: this.benignBuilder.devAdoption(r),
        system: `You are ${name}, a writing assistant for authors. Write long, polished prose.`,
        first: longformPrompt,
        follow: longformFollowUp,
        pFollow: 0.4,
        slots: 24,
        maxTokens: "cap",
        outputFrac: [0.5, 1],
        pAtCap: 0.35,
        pThinking: 0,
        temperature: 0.9,
      });
      this.weighed.push({ actor, weight: r.lognormal(35, 0.5) });
    }
  }

  /** Homework helpers: the app itself asks the model to explain each step, for every student. */
  private tutoringApps(n: number): void {
    for (let i = 0; i < n; i++) {
      const r = this.cx.actorRng();
      const c = country(r.pick(["US", "US", "IN", "GB", "BR", "DE"]));
      const name = r.pick(["Mathly", "HomeworkHero", "StudyBuddy", "Tutorly", "SolveIt"]);
      const a = this.productAccount(r, c, "tutoring_app", oldCreatedMs(r, this.cx.w.startMs, 60, 3 * 365));
      const actor = new ProductActor(r, this.cx.w, {
        accounts: [a],
        keys: this.cx.keys(r, r.range(1, 3)),
        egress: new Egress(r, [r.pick(CLOUD_NETS)], r.range(2, 5)),
        ua: customAppAgent(r),
        regions: [[pickTz(c, r), 1]],
        diurnal: "human",
        weekly: "human",
        fromH: 0,
        models: usualModels(r),
        adoption: this.benignBuilder.casualAdoption(r),
        system: `You are ${name}, a homework helper for secondary-school students. Be encouraging.`,
        first: (x) => tutoringPrompt(x, name),
        follow: tutoringFollowUp,
        pFollow: 0.45,
        slots: 32,
        maxTokens: r.pick([1024, 2048]),
        outputFrac: [0.2, 0.7],
        pAtCap: 0.02,
        pThinking: 0.1,
        temperature: 0.3,
      });
      this.weighed.push({ actor, weight: r.lognormal(30, 0.5) });
    }
  }

  /** People who max the thinking budget and output cap, in long multi-turn conversations. */
  private powerUsers(n: number): void {
    for (let i = 0; i < n; i++) {
      const r = this.cx.actorRng();
      const c = pickCountry(r);
      const a = this.cx.book.add(
        oldCreatedMs(r, this.cx.w.startMs, 30, 2 * 365),
        {
          payment: card(r),
          email: personalDomain(c.code, r),
          country: c.code,
          ip: homeSignupIp(c.code, r).ip,
          type: "individual",
        },
        benign("power_user"),
      );
      const base = this.benignBuilder.casualStyle(r, c, this.benignBuilder.devAdoption(r));
      const actor = new PersonActor(r, this.cx.w, {
        account: a,
        keys: this.cx.keys(r, 1),
        tz: pickTz(c, r),
        diurnal: r.chance(0.5) ? "developer" : "human",
        weekly: "human",
        pActiveDay: r.float(0.5, 0.95),
        // budgets above any model's maximum: ConvPool clamps them to the model's caps
        style: {
          ...base,
          topics: topics(r.chance(0.5) ? DEV_TOPICS : EDU_TOPICS, r),
          meanMsgs: r.float(6, 14),
          convIds: "conv",
          maxToks: [Number.MAX_SAFE_INTEGER],
          thinkingShare: r.float(0.85, 1),
          thinkingBudget: Number.MAX_SAFE_INTEGER,
          outputMedian: r.float(1200, 3000),
        },
        net: this.homeNet(r, c),
        ua: DEV_AGENTS.pick(r),
        ua2: null,
        system: null,
        perSession: 6,
        gapMs: 150_000,
      });
      this.weighed.push({ actor, weight: r.lognormal(6, 0.6) });
    }
  }

  /** A legitimate product launched during (or just before) the window, at full volume from day one. */
  private launches(n: number): void {
    const w = this.cx.w;
    for (let i = 0; i < n; i++) {
      const r = this.cx.actorRng();
      const c = country(r.pick(["US", "US", "GB", "SG", "DE", "IN"]));
      const created = w.startMs + r.float(-2, w.days * 0.4) * DAY_MS;
      const a = this.productAccount(r, c, "product_launch", created);
      const product = r.pick(["Pocketguide", "Askmate", "Shopwise", "Planly", "Helpfox"]);
      const actor = new ProductActor(r, w, {
        accounts: [a],
        keys: this.cx.keys(r, r.range(1, 3)),
        egress: new Egress(r, [r.pick(CLOUD_NETS)], r.range(2, 6)),
        ua: r.chance(0.5) ? customAppAgent(r) : SDK_AGENTS.pick(r),
        regions: [
          [pickTz(c, r), 1],
          [-5, 0.6],
          [1, 0.4],
        ],
        diurnal: "service",
        weekly: "service",
        fromH: Math.max(0, this.hoursFrom(created) + r.range(1, 6)),
        models: usualModels(r),
        adoption: this.benignBuilder.devAdoption(r),
        system: `You are the assistant inside ${product}. Keep answers short and friendly.`,
        first: (x) => launchPrompt(x, product),
        follow: (x) => followUp(x.pick(["question", "travel", "writing"] as const), x),
        pFollow: 0.5,
        slots: 64,
        maxTokens: r.pick([1024, 2048]),
        outputFrac: [0.1, 0.5],
        pAtCap: 0.01,
        pThinking: 0,
        temperature: r.pick([0.5, 0.7]),
      });
      this.weighed.push({ actor, weight: r.lognormal(60, 0.4) });
    }
  }

  // ---------------------------------------------------------------- campaigns

  private fleet(rng: Rng, members: Member[], proxies: number, adoption: Adoption): FleetConfig {
    return {
      members,
      proxies: Array.from({ length: proxies }, () => subnet24(rng.pick(PROXY_NETS), rng)),
      // residential traffic goes through SubscriberExitFleet's exits, not random residential nets
      pResidential: 0,
      residential: [],
      models: modelPrefs([
        [MODELS.o25, 0.85],
        [MODELS.o2, 0.15],
      ]),
      adoption,
      releaseBoost: 1.2,
      mimic: null,
      p429: 0.02,
      salt: rng.u32(),
    };
  }

  private member(
    rng: Rng,
    account: Account,
    fromH: number,
    toH: number,
    ua: string,
    temp: number,
    system: string | null,
  ): Member {
    return { account, key: `key_${rng.id(16)}`, ua, temperature: temp, fromH, toH, variants: [], system };
  }

  /**
   * Accounts that live 3-8 hours each in parallel lanes; when one stops the next, signed up
   * minutes earlier with the commonest traits (US, webmail, individual) from a subscriber address,
   * takes over on the same templates, user agent and networks, often on the same card.
   */
  rotatingHydra(volume: number): void {
    const rng = new Rng(this.cx.seed, "campaign-rotating");
    const w = this.cx.w;
    const label = campaign("rotating-hydra");
    const lanes = clamp(Math.round(volume / (w.hours * 25)), 1, 60);
    const cards = Array.from({ length: Math.max(2, lanes * 3) }, () => card(rng));
    const ua = SDK_AGENTS.pick(rng);
    const members: Member[] = [];
    for (let lane = 0; lane < lanes; lane++) {
      let pay = rng.pick(cards);
      let h = -rng.range(0, 6);
      while (h < w.hours) {
        const life = rng.range(3, 8);
        const created = w.startMs + h * HOUR_MS - rng.float(0.1, 0.9) * HOUR_MS;
        if (rng.chance(0.35)) pay = rng.pick(cards);
        const a = this.cx.book.add(
          created,
          {
            payment: pay,
            email: rng.chance(0.8) ? "gmail.com" : "outlook.com",
            country: "US",
            ip: rng.pick(this.space.exits).ip,
            type: "individual",
          },
          label,
        );
        members.push(this.member(rng, a, h, h + life, ua, 0.7, rng.pick(ROTATING_SYSTEMS)));
        h += life + (rng.chance(0.6) ? 0 : 1);
      }
    }
    const f = this.fleet(rng, members, rng.range(2, 3), { max: 0.85, delayH: rng.float(1, 5), tauH: 4 });
    const actor = new RotatingHydraActor(rng.fork("actor"), w, f, this.space.exits, 0.55, ROTATING_TEMPLATES);
    actor.volume = volume;
    this.actors.push(actor);
  }

  /**
   * Accounts living one to four days, each with its own paraphrase of the system prompt; every
   * request puts a reworded instruction after the question.
   */
  tailParaphrase(volume: number): void {
    const rng = new Rng(this.cx.seed, "campaign-tail");
    const w = this.cx.w;
    const label = campaign("tail-paraphrase");
    const nAcc = clamp(Math.round(volume / 130), 12, 4000);
    const pool = Array.from({ length: Math.max(2, Math.round(nAcc / 6)) }, () => card(rng));
    const offset = rng.int(SYSTEM_VARIANTS);
    const members: Member[] = [];
    for (let i = 0; i < nAcc; i++) {
      const dur = rng.range(24, 96);
      const fromH = Math.round(((i + rng.next()) / nAcc) * (w.hours + 24) - 24);
      const cc = pickCountry(rng).code;
      const a = this.cx.book.add(
        w.startMs + fromH * HOUR_MS - rng.float(2, 48) * HOUR_MS,
        {
          payment: rng.chance(0.6) ? card(rng) : rng.pick(pool),
          email: personalDomain(cc, rng),
          country: cc,
          ip: homeSignupIp(cc, rng).ip,
          type: "individual",
        },
        label,
      );
      // 37 is prime to SYSTEM_VARIANTS (2^5 * 3^2 * 5): distinct prompts for the first SYSTEM_VARIANTS accounts
      const system = paraphrasedSystem((offset + i * 37) % SYSTEM_VARIANTS);
      members.push(
        this.member(rng, a, fromH, fromH + dur, SDK_AGENTS.pick(rng), rng.pick([0.6, 0.8, 1]), system),
      );
    }
    const f = this.fleet(rng, members, rng.range(4, 7), { max: 0.85, delayH: rng.float(1, 6), tauH: 4 });
    const actor = new TailParaphraseActor(rng.fork("actor"), w, f, this.space.exits, 0.7);
    actor.volume = volume;
    this.actors.push(actor);
  }

  /**
   * Months-old accounts harvesting slowly in waking hours, each a little above an ordinary user's
   * volume, every request with thinking and output caps maxed. Returns the volume given.
   */
  agedSlow(meanBenign: number, cap: number): number {
    const rng = new Rng(this.cx.seed, "campaign-aged");
    const w = this.cx.w;
    const label = campaign("aged-slow");
    const nAcc = rng.range(6, 12);
    const perAccount = Math.min(meanBenign * rng.float(2, 3.5), cap / nAcc);
    let total = 0;
    for (let i = 0; i < nAcc; i++) {
      const r = rng.fork(`account-${i}`);
      const c = country(r.pick(["US", "US", "GB", "DE", "IN", "BR", "FR"]));
      const a = this.cx.book.add(
        oldCreatedMs(r, w.startMs, 90, 540),
        {
          payment: card(r),
          email: personalDomain(c.code, r),
          country: c.code,
          ip: homeSignupIp(c.code, r).ip,
          type: "individual",
        },
        label,
      );
      const local = this.space.hoods.filter((h) => h.cc === c.code);
      const hood = r.pick(local.length > 0 ? local : this.space.hoods);
      const actor = new AgedSlowActor(r.fork("actor"), w, {
        account: a,
        key: `key_${r.id(16)}`,
        tz: pickTz(c, r),
        ua: SDK_AGENTS.pick(r),
        net: new SubscriberNet([endpointIn24(hood.sub, r)], this.carrierOf(c.code, r), 0.15, 0),
        models: modelPrefs([
          [MODELS.o25, 0.9],
          [MODELS.o2, 0.1],
        ]),
        adoption: { max: 0.6, delayH: r.float(6, 30), tauH: 24 },
        pActiveDay: r.float(0.75, 0.95),
      });
      actor.volume = perAccount;
      total += perAccount;
      this.actors.push(actor);
    }
    return total;
  }
}
