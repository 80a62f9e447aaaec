/**
 * Builds the population: benign accounts of every archetype (including the hard negatives) and the
 * five campaigns, each wrapped in an actor with an expected request volume. Sizes scale with the
 * number of requests: benign accounts = clamp(requests / 1500, 150, 25000); campaign traffic is
 * CAMPAIGN_SHARE of all requests (see population/shared.ts and lib/generate/README.md).
 */
import type { Account, Actor, TrafficMix } from "./core.ts";
import { AdversarialBuilder } from "./population/adversarial.ts";
import { BenignBuilder } from "./population/benign.ts";
import { CampaignBuilder } from "./population/campaigns.ts";
import {
  ADVERSARIAL_SHARES,
  BuildContext,
  CAMPAIGN_SHARE,
  clamp,
  evasiveMix,
  SHARES,
} from "./population/shared.ts";
import { hash32, hashString } from "./rng.ts";
import type { Window } from "./time.ts";

export {
  ADVERSARIAL_ARCHETYPES,
  ADVERSARIAL_CAMPAIGNS,
  archetypesOf,
  BENIGN_ARCHETYPES,
  type BenignArchetype,
  CAMPAIGN_SHARE,
  CAMPAIGNS,
  type CampaignId,
  campaignsOf,
} from "./population/shared.ts";

export interface Population {
  readonly accounts: readonly Account[];
  readonly actors: readonly Actor[];
}

export function buildPopulation(seed: number, requests: number, mix: TrafficMix, w: Window): Population {
  const cx = new BuildContext(seed, requests, mix, w);
  const N = requests;
  const B = clamp(Math.round(N / 1500), 150, 25_000);
  const benign = new BenignBuilder(cx);
  const weighed = benign.build(B);
  // built after the original population so that its streams (and bytes) stay as they were
  const adv = mix === "adversarial" ? new AdversarialBuilder(cx, benign) : null;
  if (adv !== null) weighed.push(...adv.benign(B));

  const shares = SHARES[mix];
  const campaignTotal = N * CAMPAIGN_SHARE[mix];
  const extraTotal =
    adv === null
      ? 0
      : N * (ADVERSARIAL_SHARES.rotating + ADVERSARIAL_SHARES.tail + ADVERSARIAL_SHARES.agedCap);
  const benignTotal = N - campaignTotal - extraTotal;
  const wsum = weighed.reduce((s, x) => s + x.weight, 0);
  for (const x of weighed) x.actor.volume = (x.weight / wsum) * benignTotal;
  const meanBenign = benignTotal / cx.book.list.length;

  const campaigns = new CampaignBuilder(cx, benign);
  const scale = (B - 150) / (25_000 - 150);
  const stealthy = evasiveMix(mix);
  const careful = campaigns.careful(meanBenign, N * shares.carefulCap);
  const reasoning = campaigns.reasoningTrace(
    Math.round((10 + 50 * scale) * (stealthy ? 1.5 : 1)),
    N * shares.reasoning,
  );
  const evasive = campaigns.evasiveSpread(N * shares.evasive);
  const reseller = campaigns.resellerMix(N * shares.reseller);
  // hydra-agentic takes what the other campaigns leave of the campaign share
  const hydraVolume = Math.max(campaignTotal - careful - reasoning - evasive - reseller, N * 0.005);
  campaigns.hydra(Math.round((40 + 360 * scale) * (stealthy ? 2 : 1)), hydraVolume);
  if (adv !== null) {
    adv.rotatingHydra(N * ADVERSARIAL_SHARES.rotating);
    adv.tailParaphrase(N * ADVERSARIAL_SHARES.tail);
    adv.agedSlow(meanBenign, N * ADVERSARIAL_SHARES.agedCap);
  }

  const actors = [...weighed.map((x) => x.actor), ...campaigns.actors, ...(adv?.actors ?? [])];
  actors.forEach((a, i) => {
    a.idx = i;
  });
  return { accounts: cx.book.list, actors };
}

/** A digest of the population, to check that worker threads rebuilt exactly the same one. */
export function populationFingerprint(p: Population): string {
  let h = hashString(p.accounts.map((a) => a.id).join(","));
  for (const a of p.actors) h = hash32(h, Math.round(a.volume * 1000));
  return `${p.actors.length}/${p.accounts.length}/${h.toString(16)}`;
}
