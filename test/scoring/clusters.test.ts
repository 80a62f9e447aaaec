import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config.ts";
import type { Cluster, ClusterSignal, EvidenceAxis, Signal } from "../../lib/domain/signal.ts";
import { clusterFindings } from "../../lib/findings/assemble.ts";
import { memberConsensus, scoreCluster } from "../../lib/scoring/clusters.ts";
import { type AccountScore, fuseByAxis, noisyOr, scoreAccounts } from "../../lib/scoring/fuse.ts";
import { measure } from "../../lib/scoring/signal.ts";

const config = parseConfig({});

/** A fired signal at a given strength (0 = just at its threshold, 1 = saturated). */
function tell(detector: string, name: string, axis: EvidenceAxis, weight: number, strength = 0.3): Signal {
  return measure({
    detector,
    name,
    axis,
    facet: name,
    value: 1 + strength,
    threshold: 1,
    saturation: 2,
    weight,
    explanation: `${name} fired`,
  });
}

const TEMPLATED = () => tell("template_concentration", "templated_unique_fills", "harvest", 0.22);
const STEP_BY_STEP = () => tell("reasoning", "step_by_step", "harvest", 0.12);
const DATASET = () => tell("dataset_shape", "standalone_unique_prompts", "harvest", 0.18);
const OUTPUT_CAP = () => tell("output_max", "max_tokens_at_cap", "harvest", 0.12);
const PIVOT = () => tell("model_pivot", "new_model_pivot", "coordination", 0.15);
const VOLUME = () => tell("volume", "requests_vs_median", "automation", 0.15, 0.6);
const AROUND_THE_CLOCK = () => tell("cadence", "around_the_clock", "automation", 0.08, 0.8);
const FLAT_HOURS = () => tell("cadence", "flat_hour_profile", "automation", 0.1, 0.8);
const HOSTING = () => tell("access_path", "abused_type_on_hosting", "automation", 0.2, 1);
const CONSTANT_TEMPERATURE = () => tell("output_max", "constant_temperature", "automation", 0.05, 1);
const CAPABILITY = () => tell("capability", "capability_concentration", "harvest", 0.08);

function scoresOf(members: Record<string, Signal[]>): Map<string, AccountScore> {
  return scoreAccounts(
    Object.entries(members).flatMap(([account, signals]) => signals.map((signal) => ({ account, signal }))),
    new Map(),
    config,
  );
}

function clusterOf(id: string, accounts: string[], trait: Cluster["links"][number]["trait"]): Cluster {
  return {
    id,
    accounts,
    links: [{ trait, value: "v", accounts: accounts.length, weight: 0.5, base_rate: null }],
  };
}

function clusterTell(
  cluster: string,
  detector: string,
  name: string,
  axis: EvidenceAxis,
  weight: number,
  strength = 0.4,
): ClusterSignal {
  return { cluster, signal: tell(detector, name, axis, weight, strength) };
}

describe("fusion by evidence axis", () => {
  it("caps correlated automation tells together, however many fire", () => {
    // Prepare: an honest, busy product: heavy, around the clock, on a cloud, one temperature.
    const signals = [VOLUME(), AROUND_THE_CLOCK(), FLAT_HOURS(), HOSTING(), CONSTANT_TEMPERATURE()];
    // Act
    const fused = fuseByAxis(signals, config.scoring, config.severity);
    // Assess
    expect(noisyOr(signals.map((s) => s.contribution))).toBeGreaterThan(config.scoring.axis_caps.automation);
    expect(fused.axes.automation).toBe(config.scoring.axis_caps.automation);
    expect(fused.score).toBeCloseTo(config.scoring.axis_caps.automation, 3);
    expect(fused.signals.find((s) => s.name === "around_the_clock")?.explanation).toMatch(
      /automation evidence capped at 0.25 together/,
    );
  });

  it("holds automation and coordination below medium without harvest evidence, and says why", () => {
    // Prepare: every operational tell at full strength, twice over.
    const signals = [
      ...[VOLUME(), HOSTING(), AROUND_THE_CLOCK()],
      tell("linkage", "shared_payment_method", "coordination", 0.5, 1),
      tell("sync_timing", "minute_synchrony", "coordination", 0.5, 1),
    ];
    // Act
    const fused = fuseByAxis(signals, config.scoring, config.severity);
    // Assess
    expect(fused.axes.harvest).toBe(0);
    expect(fused.score).toBeLessThan(config.severity.medium);
    expect(fused.gate).toMatch(/harvest evidence 0 is under 0.1/);
  });

  it("holds harvest evidence alone below medium, and lets it through beside a second axis", () => {
    // Prepare: a person who asks for step-by-step solutions at the output cap, and the same traffic
    // from a heavy automated account.
    const person = [
      tell("reasoning", "step_by_step", "harvest", 0.3, 1),
      tell("output_max", "max_tokens_at_cap", "harvest", 0.2, 1),
      tell("reasoning", "max_thinking_budget", "harvest", 0.15, 1),
    ];
    const automated = [...person, VOLUME(), HOSTING()];
    // Act
    const alone = fuseByAxis(person, config.scoring, config.severity);
    const beside = fuseByAxis(automated, config.scoring, config.severity);
    // Assess
    expect(noisyOr(person.map((s) => s.contribution))).toBeGreaterThan(config.severity.medium);
    expect(alone.score).toBeLessThan(config.severity.medium);
    expect(alone.gate).toMatch(/harvest evidence alone/);
    expect(beside.score).toBeGreaterThanOrEqual(config.severity.medium);
    expect(beside.gate).toBeNull();
  });

  it("keeps every contribution what it adds: the score is the noisy-OR of the listed contributions", () => {
    // Prepare
    const signals = [STEP_BY_STEP(), OUTPUT_CAP(), VOLUME(), HOSTING(), AROUND_THE_CLOCK(), PIVOT()];
    // Act
    const fused = fuseByAxis(signals, config.scoring, config.severity);
    // Assess
    expect(fused.score).toBeCloseTo(
      noisyOr(fused.signals.filter((s) => s.fired).map((s) => s.contribution)),
      3,
    );
  });
});

describe("cluster scoring", () => {
  it("lifts a hydra of mild members to high: the same tells on many linked accounts", () => {
    // Prepare: 24 accounts on one card, each carrying the same four or five mild content tells.
    const members: Record<string, Signal[]> = {};
    for (let a = 0; a < 24; a++) {
      members[`hydra-${a}`] = [
        TEMPLATED(),
        STEP_BY_STEP(),
        DATASET(),
        OUTPUT_CAP(),
        ...(a % 10 === 0 ? [] : [PIVOT()]),
      ];
    }
    const scores = scoresOf(members);
    const hydra = clusterOf("payment_fingerprint:hydra", Object.keys(members), "payment_fingerprint");
    const own = [
      clusterTell(hydra.id, "sync_timing", "minute_synchrony", "coordination", 0.25),
      clusterTell(hydra.id, "linkage", "shared_rare_template", "coordination", 0.2, 0.3),
      clusterTell(hydra.id, "linkage", "cluster_volume", "automation", 0.1),
    ];
    // Act
    const [finding] = clusterFindings([hydra], own, scores, config);
    // Assess
    for (const { score } of scores.values()) expect(score).toBeLessThan(config.severity.medium);
    expect(finding?.severity).toMatch(/^(high|critical)$/);
    expect(finding?.signals.find((s) => s.name === "templated_unique_fills")?.explanation).toMatch(
      /counted as \d\.\d observations: 24 alike members on shared infrastructure/,
    );
  });

  it("keeps a campus behind one NAT below medium", () => {
    // Prepare: 40 students; some ask for step-by-step answers, a few focus on coding homework.
    const members: Record<string, Signal[]> = {};
    for (let s = 0; s < 40; s++) {
      members[`student-${s}`] = [
        ...(s % 3 === 0 ? [STEP_BY_STEP()] : []),
        ...(s % 10 === 0 ? [CAPABILITY()] : []),
      ];
    }
    const scores = scoresOf(members);
    const campus = clusterOf("network_hour:campus", Object.keys(members), "network_hour");
    const own = [clusterTell(campus.id, "linkage", "cluster_volume", "automation", 0.1)];
    // Act
    const { score } = scoreCluster(
      campus,
      own.map((s) => s.signal),
      scores,
      config,
    );
    const findings = clusterFindings([campus], own, scores, config);
    // Assess
    expect(score).toBeLessThan(config.severity.medium);
    expect(findings.every((f) => f.severity === "low")).toBe(true);
  });

  it("holds a legitimate reseller's automation and coordination below medium", () => {
    // Prepare: six busy, automated accounts behind one gateway, rotating and synchronized, with
    // their customers' varied traffic (no harvest tell).
    const members: Record<string, Signal[]> = {};
    for (let a = 0; a < 6; a++) members[`reseller-${a}`] = [VOLUME(), AROUND_THE_CLOCK(), FLAT_HOURS()];
    const scores = scoresOf(members);
    const reseller = clusterOf("payment_fingerprint:reseller", Object.keys(members), "payment_fingerprint");
    const own = [
      clusterTell(reseller.id, "sync_timing", "minute_synchrony", "coordination", 0.25, 1),
      clusterTell(reseller.id, "sync_timing", "round_robin", "coordination", 0.2, 1),
      clusterTell(reseller.id, "linkage", "cluster_volume", "automation", 0.1, 1),
    ];
    // Act
    const { score, gate, axes } = scoreCluster(
      reseller,
      own.map((s) => s.signal),
      scores,
      config,
    );
    // Assess
    expect(axes.harvest).toBe(0);
    expect(score).toBeLessThan(config.severity.medium);
    expect(gate).toMatch(/harvest evidence/);
  });

  it("does not multiply the tells of a public tool's users, linked by its templates alone", () => {
    // Prepare: twenty independent users of one summarising app: templated, single-turn traffic,
    // alike on every tell, but no card, burst or network in common.
    const members: Record<string, Signal[]> = {};
    for (let a = 0; a < 20; a++) members[`user-${a}`] = [TEMPLATED(), DATASET(), OUTPUT_CAP()];
    const scores = scoresOf(members);
    const users = clusterOf("skeleton:app", Object.keys(members), "skeleton");
    // Act
    const byTool = scoreCluster({ ...users, infrastructureShare: 0 }, [], scores, config);
    const byCard = scoreCluster({ ...users, infrastructureShare: 1 }, [], scores, config);
    // Assess
    expect(byTool.axes.harvest).toBeLessThan(byCard.axes.harvest);
    expect(byTool.score).toBeLessThan(config.severity.medium);
  });

  it("keeps a startup's accounts on one card below medium", () => {
    // Prepare: production (templated app traffic, heavy), staging (the same template), and a
    // developer's account; the app moved to the new model on release day.
    const scores = scoresOf({
      "startup-prod": [TEMPLATED(), VOLUME(), PIVOT()],
      "startup-staging": [TEMPLATED(), PIVOT()],
      "startup-dev": [],
    });
    const startup = clusterOf("payment_fingerprint:startup", [...scores.keys()], "payment_fingerprint");
    // Act
    const { score } = scoreCluster(startup, [], scores, config);
    // Assess
    expect(score).toBeLessThan(config.severity.medium);
  });

  it("reports dormant members with the cluster without diluting its consensus", () => {
    // Prepare: ten alike members and ten dormant accounts on the same card.
    const members: Record<string, Signal[]> = {};
    for (let a = 0; a < 10; a++) members[`m-${a}`] = [TEMPLATED(), DATASET(), STEP_BY_STEP(), OUTPUT_CAP()];
    const scores = scoresOf(members);
    const active = clusterOf("payment_fingerprint:x", Object.keys(members), "payment_fingerprint");
    const dormant = Array.from({ length: 10 }, (_, i) => `reserve-${i}`);
    // Act
    const [alone] = clusterFindings([active], [], scores, config);
    const [withReserve] = clusterFindings([{ ...active, dormant }], [], scores, config);
    // Assess
    expect(withReserve?.score).toBe(alone?.score);
    expect(withReserve?.accounts).toHaveLength(20);
    expect(withReserve?.subject).toBe(
      "cluster of 10 active and 10 dormant accounts linked by payment method v",
    );
  });

  it("explains itself: the score is the noisy-OR of the fired contributions it lists", () => {
    // Prepare
    const members: Record<string, Signal[]> = {};
    for (let a = 0; a < 10; a++) members[`m-${a}`] = [TEMPLATED(), DATASET(), VOLUME(), FLAT_HOURS()];
    const scores = scoresOf(members);
    const cluster = clusterOf("skeleton:x", Object.keys(members), "skeleton");
    const own = [clusterTell(cluster.id, "sync_timing", "minute_synchrony", "coordination", 0.25, 1)];
    // Act
    const { score, signals } = scoreCluster(
      cluster,
      own.map((s) => s.signal),
      scores,
      config,
    );
    // Assess
    expect(score).toBeCloseTo(noisyOr(signals.filter((s) => s.fired).map((s) => s.contribution)), 3);
    for (const s of signals) expect(s.contribution).toBeLessThan(0.5);
  });

  it("lets members below the detectors' volume floors inherit the verdict of the measured members", () => {
    // Prepare: 4 measured members carry the template tell; 4 small heads were not measured at all.
    const measured = (n: number, fired: number) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, a) => [
          `head-${a}`,
          [a < fired ? TEMPLATED() : { ...TEMPLATED(), fired: false, contribution: 0 }],
        ]),
      );
    const small = Object.fromEntries(Array.from({ length: 4 }, (_, a) => [`small-${a}`, [] as Signal[]]));
    const consensusOf = (members: Record<string, Signal[]>) =>
      memberConsensus(
        clusterOf("skeleton:t", Object.keys(members), "skeleton"),
        scoresOf(members),
        config.scoring.cluster,
      ).find((s) => s.name === "templated_unique_fills");
    // Act
    const agree = consensusOf({ ...measured(4, 4), ...small });
    const disagree = consensusOf({ ...measured(4, 1), ...small });
    const tooFew = consensusOf({ ...measured(2, 2), ...small, "small-4": [], "small-5": [] });
    // Assess
    expect(agree?.fired).toBe(true);
    expect(agree?.explanation).toMatch(/^100% of measured members \(4 of 8\)/);
    expect(disagree?.fired).toBe(false);
    expect(tooFew?.fired).toBe(false);
  });
});
