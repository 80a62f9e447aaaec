import { DAY_MS } from "../../time.ts";
import { type ConvStyle, Egress, NatNet, PersonNet } from "../actors/common.ts";
import { AppActor, CodingAgentActor, EvalHarnessActor } from "../actors/hard.ts";
import { PersonActor } from "../actors/person.ts";
import { type Injection, ServiceActor } from "../actors/service.ts";
import {
  BROWSER_AGENTS,
  CODING_AGENT_AGENTS,
  customAppAgent,
  DEV_AGENTS,
  platformAgent,
  SDK_AGENTS,
} from "../agents.ts";
import {
  type Account,
  type Actor,
  type Adoption,
  type LabelInfo,
  MODELS,
  modelPrefs,
  NO_ADOPTION,
} from "../core.ts";
import {
  businessNet,
  CLOUD_NETS,
  type Country,
  country,
  eduNet,
  endpoint,
  homeNets,
  type Lang,
  mobileNets,
  pickCountry,
  pickTz,
} from "../geo.ts";
import { card, companyDomain, eduDomain, homeSignupIp, oldCreatedMs, personalDomain } from "../identity.ts";
import { type Rng, Weighted } from "../rng.ts";
import { AGENT_SYSTEM_PROMPTS } from "../text/agentic.ts";
import type { AppKind } from "../text/apps.ts";
import type { Topic } from "../text/benign.ts";
import type { CodeLang } from "../text/code.ts";
import { OTHER_LANGS } from "../text/i18n.ts";
import {
  APP_VPS_NETS,
  type BenignArchetype,
  BUSINESS_TOPICS,
  type BuildContext,
  benign,
  CASUAL_TOPICS,
  clamp,
  createdInWindowOrBefore,
  DEV_TOPICS,
  EDU_TOPICS,
  langsFor,
  PLATFORM_TOPICS,
  topics,
  usualModels,
  type Weighed,
} from "./shared.ts";

export class BenignBuilder {
  /** benign actors with their relative volume weights */
  readonly weighed: Weighed[] = [];

  constructor(private readonly cx: BuildContext) {}

  /** Builds `B` benign accounts (the archetype mix is in `benignCounts`). */
  build(B: number): Weighed[] {
    const counts = this.benignCounts(B);
    this.casuals(counts.casual);
    this.developers(counts.developer);
    this.enterprises(counts.enterprise);
    this.apps(counts.app);
    this.evalHarnesses(counts.eval);
    this.codingAgents(counts.agent);
    this.natOrgs(counts.nat);
    this.resellers(counts.reseller);
    this.startups(counts.startup);
    this.earlyAdopters(counts.early);
    return this.weighed;
  }

  private benignCounts(B: number) {
    const enterprise = Math.max(2, Math.round(B * 0.01));
    const app = Math.max(2, Math.round(B * 0.006));
    const ev = Math.max(1, Math.round(B * 0.003));
    const agent = Math.max(3, Math.round(B * 0.04));
    const nat = Math.max(10, Math.round(B * 0.06));
    const reseller = Math.max(1, Math.round(B * 0.001));
    const startup = Math.max(2, Math.round(B * 0.03));
    const early = Math.max(4, Math.round(B * 0.04));
    const developer = Math.round(B * 0.22);
    const casual = Math.max(
      20,
      B - enterprise - app - ev - agent - nat - reseller * 2 - startup - early - developer,
    );
    return { casual, developer, enterprise, app, eval: ev, agent, nat, reseller, startup, early };
  }

  private push(actor: Actor, weight: number): void {
    this.weighed.push({ actor, weight });
  }

  private personAccount(
    rng: Rng,
    c: Country,
    label: LabelInfo,
    type: string,
    email: string,
    createdMs: number,
    payment: string | null,
  ): Account {
    const signupCc = rng.chance(0.9) ? c.code : pickCountry(rng).code;
    return this.cx.book.add(
      createdMs,
      { payment, email, country: signupCc, ip: homeSignupIp(signupCc, rng).ip, type },
      label,
    );
  }

  casualStyle(rng: Rng, c: Country, adoption: Adoption): ConvStyle {
    const tempMode = rng.int(3);
    return {
      topics: topics(CASUAL_TOPICS, rng),
      langs: langsFor(c, rng),
      models: usualModels(rng),
      adoption,
      meanMsgs: rng.float(1.3, 5),
      convIds: rng.pick(["conv", "conv", "uuid", "none", "none"] as const),
      temps:
        tempMode === 0
          ? [null]
          : tempMode === 1
            ? [rng.pick([0.5, 0.7, 1])]
            : [null, 0.2, 0.5, 0.7, 0.9, 1, 1.2],
      maxToks: rng.chance(0.5) ? [null] : [rng.pick([512, 1024, 2048, 4096]), null],
      thinkingShare: rng.chance(0.15) ? 0.2 : 0,
      thinkingBudget: rng.pick([1024, 2048, 4000, 8000]),
      outputMedian: rng.float(200, 500),
      idleMs: 30 * 60_000,
      pasteRate: rng.float(0.4, 0.8),
    };
  }

  casualAdoption(rng: Rng): Adoption {
    return rng.chance(0.6)
      ? { max: rng.float(0.15, 0.5), delayH: rng.float(10, 72), tauH: rng.float(48, 200) }
      : NO_ADOPTION;
  }

  devAdoption(rng: Rng): Adoption {
    return rng.chance(0.8)
      ? { max: rng.float(0.3, 0.7), delayH: rng.float(4, 40), tauH: rng.float(12, 72) }
      : NO_ADOPTION;
  }

  private casual(rng: Rng, archetype: BenignArchetype, adoption: Adoption): PersonActor {
    const w = this.cx.w;
    const c = pickCountry(rng);
    const a = this.personAccount(
      rng,
      c,
      benign(archetype),
      "individual",
      personalDomain(c.code, rng),
      createdInWindowOrBefore(rng, w, 0.03),
      rng.chance(0.05) ? null : card(rng),
    );
    const net = new PersonNet(
      rng,
      rng.pick(homeNets(c.code)),
      rng.pick(mobileNets(c.code)),
      null,
      0.15,
      0.05,
    );
    const browser = rng.chance(0.4);
    return new PersonActor(rng, w, {
      account: a,
      keys: this.cx.keys(rng, rng.chance(0.8) ? 1 : 2),
      tz: pickTz(c, rng),
      diurnal: "human",
      weekly: "human",
      pActiveDay: rng.float(0.15, 0.8),
      style: this.casualStyle(rng, c, adoption),
      net,
      ua: browser ? rng.pick(BROWSER_AGENTS) : SDK_AGENTS.pick(rng),
      ua2: null,
      system: rng.chance(0.7)
        ? null
        : rng.pick(["You are a helpful assistant.", "Be concise.", "You are a friendly tutor."]),
      perSession: 4,
      gapMs: 90_000,
    });
  }

  private casuals(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      this.push(this.casual(rng, "casual", this.casualAdoption(rng)), rng.lognormal(1, 1));
    }
  }

  private developer(
    rng: Rng,
    archetype: BenignArchetype,
    adoption: Adoption,
    email?: string,
    cc?: Country,
    payment?: string | null,
    createdMs?: number,
  ): PersonActor {
    const w = this.cx.w;
    const c = cc ?? pickCountry(rng);
    const type = rng.chance(0.7) ? "individual" : "startup";
    const a = this.personAccount(
      rng,
      c,
      benign(archetype),
      type,
      email ?? (rng.chance(0.6) ? personalDomain(c.code, rng) : companyDomain(c.code, rng)),
      createdMs ?? createdInWindowOrBefore(rng, w, 0.03),
      payment === undefined ? card(rng) : payment,
    );
    const office = rng.chance(0.4) ? businessNet(c.code, rng) : null;
    const net = new PersonNet(rng, rng.pick(homeNets(c.code)), null, office, 0, 0.04);
    const temps = rng.pick([[null], [0], [0.2], [null, 0, 0.7], [0.7]] as (number | null)[][]);
    const style: ConvStyle = {
      topics: topics(DEV_TOPICS, rng),
      langs: langsFor(c, rng, 0.5),
      models: usualModels(rng),
      adoption,
      meanMsgs: rng.float(1.5, 6),
      convIds: rng.pick(["conv", "uuid", "none"] as const),
      temps,
      maxToks: rng.pick([[null], [2048], [4096], [8192, null], [1024, 4096]] as (number | null)[][]),
      thinkingShare: rng.chance(0.3) ? rng.float(0.1, 0.6) : 0,
      thinkingBudget: rng.pick([2048, 4000, 8000, 16000]),
      outputMedian: rng.float(300, 700),
      idleMs: 40 * 60_000,
      pasteRate: rng.float(0.4, 0.8),
    };
    return new PersonActor(rng, w, {
      account: a,
      keys: this.cx.keys(rng, rng.range(1, 4)),
      tz: pickTz(c, rng),
      diurnal: "developer",
      weekly: "developer",
      pActiveDay: rng.float(0.3, 0.9),
      style,
      net,
      ua: DEV_AGENTS.pick(rng),
      ua2: rng.chance(0.5) ? "curl/8.5.0" : null,
      system: rng.chance(0.6)
        ? null
        : rng.pick([
            "You are an expert programmer.",
            "Answer with code only when possible.",
            "You are a senior engineer reviewing code.",
          ]),
      perSession: 5,
      gapMs: 120_000,
    });
  }

  private developers(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      this.push(this.developer(rng, "developer", this.devAdoption(rng)), rng.lognormal(2.5, 0.9));
    }
  }

  private service(
    rng: Rng,
    accounts: Account[],
    opts: {
      regions: [number, number][];
      diurnal: "office" | "human" | "service";
      weekly: "office" | "human" | "service";
      topics: [Topic, number][];
      langs: Weighted<Lang>;
      adoption: Adoption;
      keys: number;
      egress: Egress;
      office: Egress | null;
      pOffice: number;
      uas: string[];
      systems: (string | null)[];
      pool: number;
      convIds: "conv" | "uuid" | "none";
      injection?: Injection;
    },
  ): ServiceActor {
    const style: ConvStyle = {
      topics: topics(opts.topics, rng),
      langs: opts.langs,
      models: usualModels(rng),
      adoption: opts.adoption,
      meanMsgs: rng.float(2, 5),
      convIds: opts.convIds,
      temps: [null, 0.3, 0.7, 1],
      maxToks: [null, 1024, 2048, 4096],
      thinkingShare: 0.05,
      thinkingBudget: 4000,
      outputMedian: rng.float(300, 550),
      idleMs: 20 * 60_000,
      pasteRate: rng.float(0.5, 0.85),
    };
    return new ServiceActor(rng, this.cx.w, {
      accounts,
      keys: this.cx.keys(rng, opts.keys),
      regions: opts.regions,
      diurnal: opts.diurnal,
      weekly: opts.weekly,
      style,
      poolSize: opts.pool,
      egress: opts.egress,
      office: opts.office,
      pOffice: opts.pOffice,
      uas: opts.uas,
      systems: opts.systems,
      pTools: 0.08,
      p429: 0.012,
      injection: opts.injection ?? null,
    });
  }

  private enterprise(rng: Rng, archetype: BenignArchetype, adoption: Adoption): ServiceActor {
    const c = pickCountry(rng);
    const domain = companyDomain(c.code, rng);
    const a = this.cx.book.add(
      oldCreatedMs(rng, this.cx.w.startMs, 60, 4 * 365),
      {
        payment: rng.chance(0.5) ? null : card(rng),
        email: domain,
        country: c.code,
        ip: endpoint(businessNet(c.code, rng), rng, 0).ip,
        type: "enterprise",
      },
      benign(archetype),
    );
    const hq = pickTz(c, rng);
    const regions: [number, number][] = [[hq, 1]];
    for (let i = 0; i < rng.range(1, 2); i++)
      regions.push([pickTz(pickCountry(rng), rng), rng.float(0.2, 0.6)]);
    const companyName = domain.split(".")[0] ?? "acme";
    return this.service(rng, [a], {
      regions,
      diurnal: "office",
      weekly: "office",
      topics: BUSINESS_TOPICS,
      langs: langsFor(c, rng, 0.6),
      adoption,
      keys: rng.range(20, 200),
      egress: new Egress(rng, [rng.pick(CLOUD_NETS)], rng.range(3, 8), 2),
      office: new Egress(rng, [businessNet(c.code, rng)], rng.range(1, 3)),
      pOffice: 0.45,
      uas: [
        SDK_AGENTS.pick(rng),
        SDK_AGENTS.pick(rng),
        `${companyName}-assistant/${rng.range(1, 4)}.${rng.range(0, 9)}.${rng.range(0, 9)}`,
      ],
      systems: [
        null,
        `You are the internal assistant of ${companyName}. Be accurate and concise.`,
        "You help employees draft documents.",
        "You are a customer support assistant.",
      ],
      pool: rng.range(12, 48),
      convIds: "uuid",
    });
  }

  private enterprises(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      const adoption = { max: rng.float(0.1, 0.4), delayH: rng.float(48, 140), tauH: rng.float(48, 120) };
      this.push(this.enterprise(rng, "enterprise", adoption), rng.lognormal(60, 0.6));
    }
  }

  private apps(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      const c = country(rng.pick(["US", "US", "GB", "DE", "FR", "IN", "BR", "JP"]));
      const a = this.cx.book.add(
        oldCreatedMs(rng, this.cx.w.startMs, 120, 3 * 365),
        {
          payment: card(rng),
          email: companyDomain(c.code, rng),
          country: c.code,
          ip: homeSignupIp(c.code, rng).ip,
          type: rng.pick(["startup", "startup", "enterprise"]),
        },
        benign("single_purpose_app"),
      );
      const actor = new AppActor(rng, this.cx.w, {
        account: a,
        keys: this.cx.keys(rng, rng.range(1, 3)),
        kind: rng.pick(["ticket", "ticket", "review", "extract"] as AppKind[]),
        egress: new Egress(
          rng,
          [rng.chance(0.75) ? rng.pick(CLOUD_NETS) : rng.pick(APP_VPS_NETS)],
          rng.range(2, 6),
          rng.range(1, 2),
        ),
        ua: customAppAgent(rng),
        tz: pickTz(c, rng),
        model: rng.pick([MODELS.mini, MODELS.mini, MODELS.o25]),
        temperature: rng.pick([0, 0, 0.2]),
        maxTokens: rng.pick([256, 512, 1024]),
        poolSize: rng.range(150, 500),
        pFresh: rng.float(0.1, 0.35),
      });
      this.push(actor, rng.lognormal(45, 0.5));
    }
  }

  private evalHarnesses(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      const c = country(rng.pick(["US", "US", "GB", "DE", "FR", "JP", "CN", "IN"]));
      const net = eduNet(c.code, rng);
      const a = this.cx.book.add(
        oldCreatedMs(rng, this.cx.w.startMs, 90, 3 * 365),
        {
          payment: rng.chance(0.3) ? null : card(rng),
          email: eduDomain(c.code, rng),
          country: c.code,
          ip: endpoint(net, rng, 0).ip,
          type: rng.pick(["research", "education"]),
        },
        benign("eval_harness"),
      );
      const actor = new EvalHarnessActor(rng, this.cx.w, {
        account: a,
        key: `key_${rng.id(16)}`,
        egress: rng.chance(0.6)
          ? new Egress(rng, [net], rng.range(1, 3))
          : new Egress(rng, [rng.pick(CLOUD_NETS)], 2),
        ua: rng.pick([
          "python-httpx/0.27.2",
          "anthropic-python/0.40.0",
          "openai-python/1.54.3",
          "python-requests/2.32.3",
        ]),
        items: rng.range(150, 400),
        maxTokens: rng.pick([1024, 2048, 4096]),
        thinking: rng.chance(0.3) ? 8000 : null,
        system: rng.chance(0.5) ? null : "You are a helpful assistant.",
      });
      this.push(actor, rng.lognormal(12, 0.5));
    }
  }

  private codingAgents(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      const c = pickCountry(rng);
      const a = this.personAccount(
        rng,
        c,
        benign("coding_agent"),
        rng.chance(0.6) ? "individual" : "startup",
        rng.chance(0.5) ? personalDomain(c.code, rng) : companyDomain(c.code, rng),
        oldCreatedMs(rng, this.cx.w.startMs, 20, 2 * 365),
        card(rng),
      );
      const actor = new CodingAgentActor(rng, this.cx.w, {
        account: a,
        key: `key_${rng.id(16)}`,
        net: new PersonNet(
          rng,
          rng.pick(homeNets(c.code)),
          null,
          rng.chance(0.3) ? businessNet(c.code, rng) : null,
          0,
          0.02,
        ),
        ua: rng.pick(CODING_AGENT_AGENTS),
        tz: pickTz(c, rng),
        diurnal: "developer",
        tools: rng.range(10, 40),
        system: rng.pick(AGENT_SYSTEM_PROMPTS),
        models: modelPrefs([
          [MODELS.o25, 8],
          [MODELS.o2, 2],
        ]),
        adoption: { max: rng.float(0.5, 0.85), delayH: rng.float(4, 36), tauH: rng.float(12, 48) },
        // Agent harnesses ask for large outputs, often the model's cap (64,000 on the Claude models
        // the generator uses), so coding agents stay the look-alike of a harvester maxing its cap.
        maxTokens: rng.pick([16384, 32000, 64000]),
        thinking: rng.chance(0.3) ? rng.pick([4000, 8000, 16000]) : null,
        langs: rng.sample(["python", "typescript", "go", "rust", "java"] as CodeLang[], rng.range(1, 3)),
        pActiveDay: rng.float(0.5, 0.9),
      });
      this.push(actor, rng.lognormal(10, 0.7));
    }
  }

  private natOrgs(total: number): void {
    let left = total;
    while (left > 0) {
      const rng = this.cx.actorRng();
      const size = left < 20 ? left : clamp(rng.range(10, 60), 10, left);
      left -= size;
      const edu = rng.chance(0.6);
      const c = pickCountry(rng);
      const tz = pickTz(c, rng);
      const net = edu ? eduNet(c.code, rng) : businessNet(c.code, rng);
      const nat = new Egress(rng, [net], rng.range(1, 2));
      const domain = edu ? eduDomain(c.code, rng) : companyDomain(c.code, rng);
      const corporateCard = !edu && rng.chance(0.6) ? card(rng) : null;
      const orgCreated = oldCreatedMs(rng, this.cx.w.startMs, 20, 2 * 365);
      for (let i = 0; i < size; i++) {
        const mr = this.cx.actorRng();
        const a = this.cx.book.add(
          orgCreated + mr.float(0, 200) * DAY_MS * (edu ? 1 : 0.5),
          {
            payment: corporateCard ?? (edu && mr.chance(0.2) ? null : card(mr)),
            email: domain,
            country: c.code,
            ip: nat.pick(mr).ip,
            type: edu ? "education" : "enterprise",
          },
          benign("shared_nat_org"),
        );
        const home = new PersonNet(
          mr,
          mr.pick(homeNets(c.code)),
          mr.pick(mobileNets(c.code)),
          null,
          0.2,
          0.03,
        );
        const style = this.casualStyle(mr, c, this.casualAdoption(mr));
        const actor = new PersonActor(mr, this.cx.w, {
          account: a,
          keys: this.cx.keys(mr, 1),
          tz,
          diurnal: edu ? "human" : "office",
          weekly: edu ? "human" : "office",
          pActiveDay: mr.float(0.3, 0.9),
          style: { ...style, topics: topics(edu ? EDU_TOPICS : BUSINESS_TOPICS, mr) },
          net: new NatNet(nat, home, edu ? 0.3 : 0.15),
          ua: mr.chance(0.5) ? mr.pick(BROWSER_AGENTS) : SDK_AGENTS.pick(mr),
          ua2: null,
          system: null,
          perSession: 4,
          gapMs: 100_000,
        });
        this.push(actor, mr.lognormal(1.2, 0.8));
      }
    }
  }

  platform(rng: Rng, accounts: Account[], injection?: Injection): ServiceActor {
    const langs = new Weighted<Lang>([["en", 0.7], ...OTHER_LANGS.map((l) => [l, 0.05] as const)]);
    const name = platformAgent(rng);
    return this.service(rng, accounts, {
      regions: [
        [-5, 1],
        [-8, 0.5],
        [1, 1],
        [8, 0.8],
        [-3, 0.3],
        [5.5, 0.4],
      ],
      diurnal: "human",
      weekly: "human",
      topics: PLATFORM_TOPICS,
      langs,
      adoption: { max: rng.float(0.2, 0.4), delayH: rng.float(12, 36), tauH: 48 },
      keys: rng.range(2, 6),
      egress: new Egress(rng, [rng.pick(CLOUD_NETS)], rng.range(4, 8), 2),
      office: null,
      pOffice: 0,
      uas: [name],
      systems: [
        `You are ${name.split("/")[0]?.split("-")[0] ?? "a chat"} assistant. Be friendly and helpful.`,
      ],
      pool: 64,
      convIds: "uuid",
      ...(injection === undefined ? {} : { injection }),
    });
  }

  platformAccounts(rng: Rng, n: number, label: LabelInfo): Account[] {
    const c = country(rng.pick(["US", "US", "GB", "DE", "SG", "CA"]));
    const domain = companyDomain(c.code, rng);
    const pay = card(rng);
    const created = oldCreatedMs(rng, this.cx.w.startMs, 200, 3 * 365);
    const out: Account[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        this.cx.book.add(
          created + i * rng.float(5, 200) * DAY_MS,
          {
            payment: rng.chance(0.7) ? pay : card(rng),
            email: domain,
            country: c.code,
            ip: endpoint(rng.pick(CLOUD_NETS), rng, 0).ip,
            type: rng.pick(["startup", "enterprise", "platform"]),
          },
          label,
        ),
      );
    }
    return out;
  }

  private resellers(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      const accounts = this.platformAccounts(rng, rng.range(1, 3), benign("reseller_platform"));
      this.push(this.platform(rng, accounts), rng.lognormal(120, 0.4));
    }
  }

  private startups(total: number): void {
    let left = total;
    while (left > 0) {
      const rng = this.cx.actorRng();
      const size = left < 2 ? left : clamp(rng.range(2, 4), 1, left);
      left -= size;
      const c = pickCountry(rng);
      const domain = companyDomain(c.code, rng);
      const pay = card(rng);
      const founded = oldCreatedMs(rng, this.cx.w.startMs, 30, 540);
      // the product backend
      const product = this.cx.book.add(
        founded,
        { payment: pay, email: domain, country: c.code, ip: homeSignupIp(c.code, rng).ip, type: "startup" },
        benign("startup"),
      );
      const tz = pickTz(c, rng);
      const actor = this.service(rng, [product], {
        regions: [[tz, 1]],
        diurnal: "service",
        weekly: "service",
        topics: rng.pick([BUSINESS_TOPICS, CASUAL_TOPICS, EDU_TOPICS]),
        langs: langsFor(c, rng),
        adoption: this.devAdoption(rng),
        keys: rng.range(2, 5),
        egress: new Egress(rng, [rng.pick(CLOUD_NETS)], rng.range(1, 4)),
        office: null,
        pOffice: 0,
        uas: [rng.chance(0.5) ? customAppAgent(rng) : SDK_AGENTS.pick(rng)],
        systems: [`You are the assistant inside ${domain.split(".")[0] ?? "our app"}. Keep answers short.`],
        pool: rng.range(4, 24),
        convIds: rng.pick(["conv", "uuid"] as const),
      });
      this.push(actor, rng.lognormal(8, 0.6));
      for (let i = 1; i < size; i++) {
        const dr = this.cx.actorRng();
        const dev = this.developer(
          dr,
          "startup",
          this.devAdoption(dr),
          domain,
          c,
          pay,
          founded + dr.float(0, 20) * DAY_MS,
        );
        this.push(dev, dr.lognormal(2.5, 0.8));
      }
    }
  }

  private earlyAdopters(n: number): void {
    for (let i = 0; i < n; i++) {
      const rng = this.cx.actorRng();
      const adoption = { max: rng.float(0.6, 0.95), delayH: rng.float(0.3, 3), tauH: rng.float(2, 8) };
      const r = rng.next();
      if (r < 0.35) this.push(this.casual(rng, "early_adopter", adoption), rng.lognormal(3, 0.8));
      else if (r < 0.75) this.push(this.developer(rng, "early_adopter", adoption), rng.lognormal(4, 0.8));
      else this.push(this.enterprise(rng, "early_adopter", adoption), rng.lognormal(15, 0.6));
    }
  }
}
