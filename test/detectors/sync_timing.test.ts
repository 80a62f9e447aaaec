import { describe, expect, it } from "vitest";
import { onRotation, syncTiming } from "../../lib/detectors/sync_timing/sync_timing.ts";
import type { Cluster } from "../../lib/domain/signal.ts";
import { at, prng } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";
import { clusterSignal, runStage } from "../support/stage.ts";

function cluster(id: string, prefix: string, size: number): Cluster {
  return {
    id,
    accounts: Array.from({ length: size }, (_, a) => `${prefix}-${a}`),
    links: [{ trait: "network_hour", value: "192.0.2.0/24", accounts: size, weight: 0.5, base_rate: null }],
  };
}

/**
 * A controller that wakes up in random minutes of each hour and fires a batch through every
 * account at once, then sleeps: eight accounts busy and idle in the same minutes.
 */
function burstyHydra(size: number, seed = 1): Record<string, unknown>[] {
  const rnd = prng(seed);
  const out: Record<string, unknown>[] = [];
  for (let hour = 0; hour < 12; hour++) {
    for (let burst = 0; burst < 8; burst++) {
      const minute = Math.floor(rnd() * 60);
      for (let a = 0; a < size; a++) {
        const n = 1 + Math.floor(rnd() * 3);
        for (let i = 0; i < n; i++) {
          out.push(request({ account_id: `hydra-${a}`, ts: at(hour * 3600 + minute * 60 + rnd() * 59) }));
        }
      }
    }
  }
  return out;
}

/** A dispatcher handing one request every 7 seconds to the next account in a fixed rotation. */
function rotatingHydra(size: number): Record<string, unknown>[] {
  return Array.from({ length: 3000 }, (_, i) =>
    request({ account_id: `rotor-${i % size}`, ts: at(3600 + i * 7) }),
  );
}

/**
 * A campus behind one NAT: students busy in the day, each working in their own sessions of a few
 * requests a minute or two apart, at times of their own choosing.
 */
function campus(students: number, seed = 2): Record<string, unknown>[] {
  const rnd = prng(seed);
  const out: Record<string, unknown>[] = [];
  for (let s = 0; s < students; s++) {
    const sessions = 4 + Math.floor(rnd() * 5);
    for (let k = 0; k < sessions; k++) {
      // Day rhythm: sessions cluster between 09:00 and 18:00.
      let t = (9 + rnd() * 9) * 3600;
      const requests = 3 + Math.floor(rnd() * 6);
      for (let i = 0; i < requests; i++) {
        out.push(request({ account_id: `student-${s}`, ts: at(t), source_ip: "192.0.2.80" }));
        t += 30 + rnd() * 150;
      }
    }
  }
  return out;
}

describe("sync_timing detector", () => {
  it("fires on accounts that burst and pause in the same minutes", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": burstyHydra(8) } } });
    const hydra = cluster("skeleton:hydra", "hydra", 8);
    // Act
    const result = await runStage(syncTiming, logs, { clusters: [hydra] });
    // Assess
    const signal = clusterSignal(result, hydra.id, "minute_synchrony");
    expect(signal?.fired).toBe(true);
    expect(signal?.value).toBeGreaterThan(0.5);
    expect(signal?.weight).toBeLessThanOrEqual(0.3);
  });

  it("fires on a fixed rotation of accounts", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": rotatingHydra(6) } } });
    const rotor = cluster("user_agent:rotor", "rotor", 6);
    // Act
    const result = await runStage(syncTiming, logs, { clusters: [rotor] });
    // Assess
    const signal = clusterSignal(result, rotor.id, "round_robin");
    expect(signal?.fired).toBe(true);
    expect(signal?.explanation).toMatch(
      /^100% of hand-overs between 6 members follow a fixed rotation through 6/,
    );
  });

  it("stays quiet on a campus NAT: busy at the same hours, not in the same minutes or order", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": campus(30) } } });
    const university = cluster("network_hour:campus", "student", 30);
    // Act
    const result = await runStage(syncTiming, logs, { clusters: [university] });
    // Assess
    const synchrony = clusterSignal(result, university.id, "minute_synchrony");
    const rotation = clusterSignal(result, university.id, "round_robin");
    expect(synchrony).toBeDefined();
    expect(Math.abs(synchrony?.value ?? 1)).toBeLessThan(0.1);
    expect(synchrony?.fired).toBe(false);
    expect(rotation?.fired).toBe(false);
  });

  it("does not take two people taking turns for a rotation", async () => {
    // Prepare: a family of four on one card; two chat in the morning, the other two at night, and
    // whoever is awake alternates with the other one.
    const rnd = prng(4);
    const turns = (a: string, b: string, from: number) =>
      Array.from({ length: 200 }, (_, i) =>
        request({ account_id: i % 2 === 0 ? a : b, ts: at(from + i * 40 + rnd() * 20) }),
      );
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            ...turns("family-0", "family-1", 8 * 3600),
            ...turns("family-2", "family-3", 20 * 3600),
          ],
        },
      },
    });
    const family = cluster("payment_fingerprint:family", "family", 4);
    // Act
    const result = await runStage(syncTiming, logs, { clusters: [family] });
    // Assess
    const rotation = clusterSignal(result, family.id, "round_robin");
    expect(rotation).toBeDefined();
    expect(rotation?.fired).toBe(false);
  });

  it("finds rotations of three or more members, not pairs taking turns", () => {
    // Prepare
    const usual = new Map([
      ["a", "b"],
      ["b", "c"],
      ["c", "a"],
      ["x", "y"],
      ["y", "x"],
      ["z", "a"],
    ]);
    // Act
    const rotating = onRotation(usual);
    // Assess
    expect([...rotating].sort()).toEqual(["a", "b", "c"]);
  });

  it("does not measure clusters with too little traffic to judge", async () => {
    // Prepare: two accounts, a handful of simultaneous requests.
    const pair = ["duo-0", "duo-1"].flatMap((id) =>
      [0, 1, 2].map((m) => request({ account_id: id, ts: at(3600 + m * 60) })),
    );
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": pair } } });
    const duo = cluster("payment_fingerprint:duo", "duo", 2);
    // Act
    const result = await runStage(syncTiming, logs, { clusters: [duo] });
    // Assess
    expect(result.clusterSignals).toEqual([]);
  });
});
