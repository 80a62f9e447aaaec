import { describe, expect, it } from "vitest";
import type { Finding, FindingsDocument } from "../../lib/findings/model.ts";
import type { AccountRecord } from "../../lib/schema/log-schema.ts";
import { at, auditDay, chatAccounts, homeChatters, prng } from "../support/detect.ts";
import { account, request, writeLogs } from "../support/logs.ts";

/**
 * The whole pipeline (every registered detector, linkage, cluster scoring) on two hand-written
 * groups: a hydra whose heads each send a modest, templated stream, and a campus behind one NAT.
 */

const HYDRA = 12;
const STUDENTS = 25;
const TOPICS = [
  "kinematics",
  "probability",
  "recursion",
  "sorting",
  "graphs",
  "integrals",
  "matrices",
  "series",
];

/**
 * Twelve heads on one card, opened together two days ago as education accounts, run from cloud
 * servers by one controller that wakes in a few minutes of each hour and fires a batch of one
 * reasoning template, maxed output cap, one temperature, through every head at once.
 */
function hydra(): Record<string, unknown>[] {
  const rnd = prng(21);
  const out: Record<string, unknown>[] = [];
  for (let hour = 0; hour < 24; hour++) {
    for (let burst = 0; burst < 3; burst++) {
      const minute = Math.floor(rnd() * 60);
      for (let a = 0; a < HYDRA; a++) {
        const topic = TOPICS[Math.floor(rnd() * TOPICS.length)];
        out.push(
          request({
            account_id: `head-${a}`,
            ts: at(hour * 3600 + minute * 60 + rnd() * 50),
            prompt: `Solve the following ${topic} exercise step by step and show your reasoning before the final answer. Exercise ${Math.floor(rnd() * 1e6)}: given ${Math.floor(rnd() * 999)} and ${Math.floor(rnd() * 999)}, find the result.`,
            user_agent: "python-httpx/0.27.2",
            source_ip: `52.${10 + a}.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}`,
            source_asn: 16509,
            source_country: "US",
            max_tokens: 8192,
            temperature: 0.7,
            turns: 1,
            input_tokens: 90 + Math.floor(rnd() * 40),
            output_tokens: 2500 + Math.floor(rnd() * 3000),
          }),
        );
      }
    }
  }
  return out;
}

function hydraAccounts(): AccountRecord[] {
  return Array.from({ length: HYDRA }, (_, a) =>
    account({
      account_id: `head-${a}`,
      created_at: "2026-02-14T03:00:00Z",
      payment_fingerprint: "pm_hydra_card_01",
      email_domain: "mailbox.example",
      signup_country: "US",
      account_type: "education",
    }),
  );
}

/** Students behind one campus NAT, chatting in their own sessions through the day. */
function campus(): Record<string, unknown>[] {
  return chatAccounts(STUDENTS, 24, 9, "student").map((r) => ({
    ...r,
    source_ip: "198.18.7.20",
    source_asn: 64512,
    source_country: "US",
  }));
}

function others(): AccountRecord[] {
  return [
    ...Array.from({ length: STUDENTS }, (_, s) =>
      account({
        account_id: `student-${s}`,
        created_at: `2025-09-${String(1 + (s % 28)).padStart(2, "0")}T10:00:00Z`,
        email_domain: "uni.example",
        signup_country: "US",
        account_type: "education",
        payment_fingerprint: `pm_student_${s}`,
      }),
    ),
    ...Array.from({ length: 60 }, (_, p) =>
      account({ account_id: `person-${p}`, signup_country: "US", payment_fingerprint: `pm_person_${p}` }),
    ),
  ];
}

async function audit(): Promise<FindingsDocument> {
  const logs = writeLogs({
    requests: { "2026-02-16": { "a.jsonl": [...homeChatters(), ...campus(), ...hydra()] } },
    accounts: [...others(), ...hydraAccounts()],
  });
  return (await auditDay(logs)).document;
}

function clusterWith(document: FindingsDocument, account: string): Finding | undefined {
  return document.findings.find((f) => f.kind === "cluster" && f.accounts.includes(account));
}

describe("cluster findings end to end", () => {
  it("raises the hydra as one high or critical cluster, above what any head scores alone", async () => {
    // Act
    const document = await audit();
    // Assess
    const cluster = clusterWith(document, "head-0");
    expect(cluster?.accounts).toEqual(Array.from({ length: HYDRA }, (_, a) => `head-${a}`).sort());
    expect(cluster?.severity).toMatch(/^(high|critical)$/);
    const heads = document.findings.filter((f) => f.kind === "account" && f.subject.startsWith("head-"));
    for (const head of heads) expect(head.score).toBeLessThan(cluster?.score ?? 0);
    const fired = new Set(cluster?.signals.filter((s) => s.fired).map((s) => `${s.detector}/${s.name}`));
    expect(fired).toContain("sync_timing/minute_synchrony");
    expect(fired).toContain("linkage/shared_rare_template");
  });

  it("keeps the campus NAT cluster below medium", async () => {
    // Act
    const document = await audit();
    // Assess
    const cluster = clusterWith(document, "student-0");
    if (cluster) expect(cluster.severity).toBe("low");
    const students = document.findings.filter((f) => f.accounts.some((a) => a.startsWith("student-")));
    for (const f of students) expect(["low", "info"]).toContain(f.severity);
  });
});
