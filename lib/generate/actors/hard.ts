/**
 * Benign hard negatives with machine-like traffic: single-purpose apps, evaluation harnesses and
 * coding agents. They share surface features with campaigns (templates, cloud IPs, bursts, tools,
 * long outputs) and are what naive rules flag.
 */
import type { RequestRecord } from "../../schema/log-schema.ts";
import { HOUR_MS } from "../../time.ts";
import { type Account, Actor, type Adoption, type Ctx, type GeneratorModel, MODELS } from "../core.ts";
import type { Lang } from "../geo.ts";
import type { Rng, Weighted } from "../rng.ts";
import { paced, sessions } from "../schedule.ts";
import { agentToolResult } from "../text/agentic.ts";
import { APP_TEMPLATES, type AppKind, appContentPool, freshAppContent } from "../text/apps.ts";
import { agentStart } from "../text/benign.ts";
import { type CodeLang, repoName } from "../text/code.ts";
import { multipleChoice, problem } from "../text/problems.ts";
import type { CurveName, Window } from "../time.ts";
import { curveAt, dayFactors, dayIndex, type Egress, type NetPlan } from "./common.ts";

// ------------------------------------------------------------------ single-purpose app

export interface AppConfig {
  readonly account: Account;
  readonly keys: readonly string[];
  readonly kind: AppKind;
  readonly egress: Egress;
  readonly ua: string;
  readonly tz: number;
  readonly model: GeneratorModel;
  readonly temperature: number;
  readonly maxTokens: number;
  readonly poolSize: number;
  /** share of requests with fresh (non-pool) content */
  readonly pFresh: number;
  /** the app's own system prompt and frame instead of its kind's default (white-label, agency apps) */
  readonly template?: { readonly system: string; readonly frame: (content: string) => string };
}

export class AppActor extends Actor {
  private readonly pool: string[];

  constructor(
    rng: Rng,
    private readonly w: Window,
    private readonly c: AppConfig,
  ) {
    super(rng);
    this.pool = appContentPool(c.kind, rng.fork("pool"), c.poolSize);
  }

  accounts(): readonly Account[] {
    return [this.c.account];
  }

  shape(h: number): number {
    return curveAt(this.w, h, this.c.tz, "service", "service");
  }

  override schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    paced(this.rng, count, push, 1.6);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    const content = rng.chance(c.pFresh) ? freshAppContent(c.kind, rng) : rng.pickSkewed(this.pool, 2.5);
    const tpl = c.template ?? APP_TEMPLATES[c.kind];
    return ctx.record(tMs, {
      account: c.account,
      keyId: rng.pick(c.keys),
      ep: c.egress.pick(rng),
      ua: c.ua,
      model: c.model,
      contextTokens: 0,
      outputTokens: c.kind === "extract" ? rng.lognormal(260, 0.4) : rng.lognormal(70, 0.5),
      maxTokens: c.maxTokens,
      temperature: c.temperature,
      thinking: null,
      tools: null,
      turns: 1,
      conv: null,
      system: tpl.system,
      prompt: tpl.frame(content),
      lang: "en",
      p429: 0.012,
    });
  }
}

// ------------------------------------------------------------------ evaluation harness

interface EvalRun {
  readonly startH: number;
  readonly endH: number;
  readonly model: GeneratorModel;
}

export interface EvalConfig {
  readonly account: Account;
  readonly key: string;
  readonly egress: Egress;
  readonly ua: string;
  readonly items: number;
  readonly maxTokens: number;
  readonly thinking: number | null;
  readonly system: string | null;
}

const EVAL_FRAMES = [
  (q: string) =>
    `Answer the following question. Think step by step, then give the final answer on the last line in the form "Answer: <answer>".\n\nQuestion: ${q}`,
  (q: string) => `${q}\n\nAnswer with reasoning. Show your work step by step and end with "The answer is X."`,
  (q: string) => `Solve the problem below. Let's think step by step.\n\n${q}`,
] as const;

export class EvalHarnessActor extends Actor {
  private readonly items: string[];
  private readonly runs: EvalRun[];
  private cursor = 0;
  private lastRun: EvalRun | null = null;

  constructor(
    rng: Rng,
    w: Window,
    private readonly c: EvalConfig,
  ) {
    super(rng);
    const frame = rng.pick(EVAL_FRAMES);
    const ir = rng.fork("items");
    this.items = [];
    for (let i = 0; i < c.items; i++) {
      const p = ir.chance(0.3) ? multipleChoice(ir) : problem(ir);
      this.items.push(frame(p.question));
    }
    // a run every 1-4 days, a few hours long, on one of the existing models; one right after release
    this.runs = [];
    const olds = [MODELS.o25, MODELS.o25, MODELS.o2, MODELS.mini];
    let h = rng.range(0, 60);
    while (h < w.hours) {
      const len = rng.range(2, 6);
      this.runs.push({ startH: h, endH: h + len, model: rng.pick(olds) });
      h += len + rng.range(20, 90);
    }
    if (w.releaseMs !== null) {
      const rh = Math.floor((w.releaseMs - w.startMs) / HOUR_MS) + rng.range(1, 8);
      const len = rng.range(3, 8);
      // replace whatever overlaps with the release evaluation
      for (let i = this.runs.length - 1; i >= 0; i--) {
        const r = this.runs[i] as EvalRun;
        if (r.endH > rh && r.startH < rh + len) this.runs.splice(i, 1);
      }
      if (rh < w.hours) this.runs.push({ startH: rh, endH: rh + len, model: MODELS.o3 });
      this.runs.sort((a, b) => a.startH - b.startH);
    }
  }

  accounts(): readonly Account[] {
    return [this.c.account];
  }

  private runAt(h: number): EvalRun | null {
    for (const r of this.runs) if (h >= r.startH && h < r.endH) return r;
    return null;
  }

  shape(h: number): number {
    return this.runAt(h) === null ? 0 : 1;
  }

  override schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    paced(this.rng, count, push, 0.8);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    const run = this.runAt(ctx.hourOf(tMs));
    const model = run?.model ?? MODELS.o25;
    if (run !== this.lastRun) {
      // every run starts the benchmark from its first item: items repeat exactly across runs
      this.lastRun = run;
      this.cursor = 0;
    }
    const prompt = this.items[this.cursor++ % this.items.length] as string;
    const thinking = c.thinking === null ? null : Math.min(c.thinking, model.maxThinkingBudget);
    return ctx.record(tMs, {
      account: c.account,
      keyId: c.key,
      ep: c.egress.pick(rng),
      ua: c.ua,
      model,
      contextTokens: 0,
      outputTokens: rng.lognormal(thinking === null ? 380 : 1400, 0.5),
      maxTokens: Math.min(c.maxTokens, model.maxOutputTokens),
      temperature: 0,
      thinking,
      tools: null,
      turns: 1,
      conv: null,
      system: c.system,
      prompt,
      lang: "en",
      p429: 0.02,
    });
  }
}

// ------------------------------------------------------------------ coding agent

export interface AgentConfig {
  readonly account: Account;
  readonly key: string;
  readonly net: NetPlan;
  readonly ua: string;
  readonly tz: number;
  readonly diurnal: CurveName;
  readonly tools: number;
  readonly system: string;
  readonly models: Weighted<GeneratorModel>;
  readonly adoption: Adoption;
  readonly maxTokens: number;
  readonly thinking: number | null;
  readonly langs: readonly CodeLang[];
  readonly pActiveDay: number;
}

interface Session {
  id: string;
  msgs: number;
  maxMsgs: number;
  lastMs: number;
  model: GeneratorModel;
  repo: string;
  lang: CodeLang;
  tools: number;
}

export class CodingAgentActor extends Actor {
  private session: Session | null = null;
  private readonly days: Float32Array;

  constructor(
    rng: Rng,
    private readonly w: Window,
    private readonly c: AgentConfig,
  ) {
    super(rng);
    this.days = dayFactors(rng, w.days, c.pActiveDay);
  }

  accounts(): readonly Account[] {
    return [this.c.account];
  }

  shape(h: number): number {
    const c = this.c;
    return curveAt(this.w, h, c.tz, c.diurnal, "developer") * (this.days[dayIndex(h, c.tz)] as number);
  }

  override schedule(_h: number, count: number, push: (offsetMs: number) => void): void {
    sessions(this.rng, count, push, 14, 12_000);
  }

  emit(tMs: number, ctx: Ctx): RequestRecord {
    const c = this.c;
    const rng = this.rng;
    let s = this.session;
    if (s === null || tMs - s.lastMs > 15 * 60_000 || s.msgs + 2 > s.maxMsgs) {
      s = {
        id: rng.chance(0.5) ? rng.uuid() : `sess_${rng.id(20)}`,
        msgs: -1,
        maxMsgs: rng.range(5, 80),
        lastMs: tMs,
        model: ctx.pickModel(rng, c.models, c.adoption, tMs),
        repo: repoName(rng),
        lang: rng.pick(c.langs),
        tools: Math.max(10, Math.min(40, c.tools + rng.range(-2, 2))),
      };
      this.session = s;
    }
    s.msgs += 2;
    s.lastMs = tMs;
    const first = s.msgs === 1;
    const prompt = first ? agentStart(rng, s.repo) : agentToolResult(rng, s.lang);
    const cap = Math.min(c.maxTokens, s.model.maxOutputTokens);
    const nearCap = rng.chance(0.07);
    return ctx.record(tMs, {
      account: c.account,
      keyId: c.key,
      ep: c.net.at(rng, tMs, false),
      ua: c.ua,
      model: s.model,
      contextTokens: s.tools * 140 + (s.msgs - 1) * (350 + rng.int(700)),
      outputTokens: nearCap ? cap * rng.float(0.9, 1) : rng.lognormal(420, 0.8),
      maxTokens: cap,
      temperature: null,
      thinking: c.thinking === null ? null : Math.min(c.thinking, s.model.maxThinkingBudget),
      tools: s.tools,
      turns: s.msgs,
      conv: s.id,
      system: c.system,
      prompt,
      lang: "en" as Lang,
      p429: 0.01,
    });
  }
}
