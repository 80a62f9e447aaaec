import { type Actor, type LabelInfo, MODELS, modelPrefs, type TrafficMix } from "../core.ts";
import { type Country, type Lang, PROXY_NETS } from "../geo.ts";
import { AccountBook, oldCreatedMs } from "../identity.ts";
import { Rng, Weighted } from "../rng.ts";
import type { Topic } from "../text/benign.ts";
import type { Window } from "../time.ts";

/** Smaller hosting providers that legitimate apps also run on (14061, 24940, 16276). */
export const APP_VPS_NETS = PROXY_NETS.filter((x) => [14061, 24940, 16276].includes(x.asn));

export const CAMPAIGNS = [
  "hydra-agentic",
  "reasoning-trace",
  "careful-small",
  "evasive-spread",
  "reseller-mix",
] as const;
/** Campaign shapes only the `adversarial` mix adds (it keeps the five above, at `stealthy` settings). */
export const ADVERSARIAL_CAMPAIGNS = ["rotating-hydra", "tail-paraphrase", "aged-slow"] as const;
export type CampaignId = (typeof CAMPAIGNS)[number] | (typeof ADVERSARIAL_CAMPAIGNS)[number];

export const BENIGN_ARCHETYPES = [
  "casual",
  "developer",
  "enterprise",
  "single_purpose_app",
  "eval_harness",
  "coding_agent",
  "shared_nat_org",
  "reseller_platform",
  "startup",
  "early_adopter",
] as const;
/**
 * Benign shapes only the `adversarial` mix adds: honest traffic that shares a trait with a campaign
 * shape (sign-up traits, addresses, templates, cards, caps, volume), so every one is a hard negative.
 */
export const ADVERSARIAL_ARCHETYPES = [
  "signup_cohort",
  "cgnat_subscriber",
  "residential_neighbour",
  "template_tenant",
  "agency_client",
  "longform_writer",
  "tutoring_app",
  "power_user",
  "product_launch",
] as const;
export type BenignArchetype = (typeof BENIGN_ARCHETYPES)[number] | (typeof ADVERSARIAL_ARCHETYPES)[number];

/** The archetypes and campaigns a mix can produce (the manifest tallies exactly these). */
export function archetypesOf(mix: TrafficMix): readonly BenignArchetype[] {
  return mix === "adversarial" ? [...BENIGN_ARCHETYPES, ...ADVERSARIAL_ARCHETYPES] : BENIGN_ARCHETYPES;
}
export function campaignsOf(mix: TrafficMix): readonly CampaignId[] {
  return mix === "adversarial" ? [...CAMPAIGNS, ...ADVERSARIAL_CAMPAIGNS] : CAMPAIGNS;
}

/** The five original campaigns take their evasive settings in every mix but `baseline`. */
export function evasiveMix(mix: TrafficMix): boolean {
  return mix !== "baseline";
}

export const HARD_NEGATIVE: Record<BenignArchetype, boolean> = {
  casual: false,
  developer: false,
  enterprise: false,
  single_purpose_app: true,
  eval_harness: true,
  coding_agent: true,
  shared_nat_org: true,
  reseller_platform: true,
  startup: true,
  early_adopter: true,
  signup_cohort: true,
  cgnat_subscriber: true,
  residential_neighbour: true,
  template_tenant: true,
  agency_client: true,
  longform_writer: true,
  tutoring_app: true,
  power_user: true,
  product_launch: true,
};

/** Target share of all requests coming from campaign accounts, by mix. */
/**
 * Target share of all requests coming from the five original campaigns, by mix (`adversarial`
 * keeps the `stealthy` share and adds ADVERSARIAL_SHARES on top).
 */
export const CAMPAIGN_SHARE: Record<TrafficMix, number> = {
  baseline: 0.22,
  stealthy: 0.072,
  adversarial: 0.072,
};

/**
 * Shares of all requests of the campaigns only `adversarial` has. The aged accounts harvest slowly:
 * their volume is set per account near an ordinary user's, and `agedCap` only bounds it.
 */
export const ADVERSARIAL_SHARES = { rotating: 0.022, tail: 0.016, agedCap: 0.006 } as const;

/** Per-campaign share of all requests (hydra-agentic takes what the others leave of CAMPAIGN_SHARE). */
export const SHARES: Record<
  TrafficMix,
  { reasoning: number; evasive: number; reseller: number; carefulCap: number }
> = {
  baseline: { reasoning: 0.05, evasive: 0.03, reseller: 0.045, carefulCap: 0.02 },
  stealthy: { reasoning: 0.012, evasive: 0.018, reseller: 0.012, carefulCap: 0.008 },
  adversarial: { reasoning: 0.012, evasive: 0.018, reseller: 0.012, carefulCap: 0.008 },
};

export interface Weighed {
  actor: Actor;
  weight: number;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

export function benign(archetype: BenignArchetype): LabelInfo {
  return { kind: "benign", archetype, hardNegative: HARD_NEGATIVE[archetype] };
}

export function campaign(id: CampaignId): LabelInfo {
  return { kind: "campaign", archetype: id, campaign: id, hardNegative: false };
}

export function langsFor(c: Country, rng: Rng, scale = 1): Weighted<Lang> {
  if (c.lang === undefined) return new Weighted<Lang>([["en", 1]]);
  const share = clamp(c.lang[1] * rng.float(0.2, 1.8) * scale, 0, 0.95);
  return new Weighted<Lang>([
    ["en", 1 - share],
    [c.lang[0], share],
  ]);
}

export function usualModels(rng: Rng) {
  const main = rng.pick([MODELS.o25, MODELS.o25, MODELS.o25, MODELS.mini, MODELS.o2]);
  return modelPrefs([
    [main, 8],
    [MODELS.o25, 1],
    [MODELS.mini, 1],
    [MODELS.o2, 0.5],
  ]);
}

export function topics(entries: [Topic, number][], rng: Rng): Weighted<Topic> {
  // individual tastes: jitter the archetype's weights
  return new Weighted(entries.map(([t, w]) => [t, w * rng.float(0.2, 1.8)] as const));
}

export const CASUAL_TOPICS: [Topic, number][] = [
  ["writing", 20],
  ["question", 18],
  ["travel", 10],
  ["cooking", 10],
  ["study", 14],
  ["health", 6],
  ["finance", 6],
  ["brainstorm", 8],
  ["coding", 5],
  ["business", 3],
];
export const DEV_TOPICS: [Topic, number][] = [
  ["coding", 40],
  ["sql", 10],
  ["devops", 12],
  ["question", 8],
  ["writing", 6],
  ["data", 8],
  ["business", 4],
  ["study", 4],
];
export const BUSINESS_TOPICS: [Topic, number][] = [
  ["business", 20],
  ["writing", 15],
  ["data", 12],
  ["coding", 15],
  ["support", 15],
  ["question", 8],
  ["sql", 5],
];
export const EDU_TOPICS: [Topic, number][] = [
  ["study", 35],
  ["coding", 18],
  ["writing", 15],
  ["question", 20],
  ["data", 5],
  ["brainstorm", 4],
];
export const PLATFORM_TOPICS: [Topic, number][] = [
  ["writing", 18],
  ["question", 16],
  ["travel", 6],
  ["cooking", 6],
  ["study", 12],
  ["health", 4],
  ["finance", 4],
  ["brainstorm", 6],
  ["coding", 14],
  ["business", 8],
  ["support", 3],
  ["data", 3],
];

export function createdInWindowOrBefore(rng: Rng, w: Window, pNew: number): number {
  if (rng.chance(pNew)) return w.startMs + rng.next() * (w.endMs - w.startMs) * 0.8;
  return oldCreatedMs(rng, w.startMs, 14, 3 * 365);
}

/** State shared by the builders: the account book and the sequence of per-actor random streams. */
export class BuildContext {
  readonly book: AccountBook;
  private actorSeq = 0;

  constructor(
    readonly seed: number,
    readonly requests: number,
    readonly mix: TrafficMix,
    readonly w: Window,
  ) {
    this.book = new AccountBook(new Rng(seed, "account-ids"));
  }

  /** A fresh random stream for the next actor (in construction order). */
  actorRng(): Rng {
    return new Rng(this.seed, `actor-${this.actorSeq++}`);
  }

  keys(rng: Rng, n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(`key_${rng.id(16)}`);
    return out;
  }
}
