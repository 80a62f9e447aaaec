import { describe, expect, it } from "vitest";
import { atLeast } from "../../lib/domain/signal.ts";
import type { FindingsDocument } from "../../lib/findings/model.ts";
import type { AccountRecord } from "../../lib/schema/log-schema.ts";
import { at, auditDay, homeChatters, prng } from "../support/detect.ts";
import { account, request, writeLogs } from "../support/logs.ts";

/**
 * The failure classes seen on traffic this project did not write, each as a campaign shape and
 * its honest look-alike, through the whole pipeline on DuckDB: the campaign reaches medium or
 * above, the look-alike does not.
 */

const SONNET_CAP = 64000;
const TOPICS = ["tides", "lichens", "opera", "bridges", "comets", "tea", "chess", "wool", "salt", "bees"];

function peopleAccounts(): AccountRecord[] {
  return Array.from({ length: 60 }, (_, p) =>
    account({ account_id: `person-${p}`, signup_country: "US", payment_fingerprint: `pm_person_${p}` }),
  );
}

async function audit(
  requests: Record<string, unknown>[],
  accounts: AccountRecord[],
): Promise<FindingsDocument> {
  const logs = writeLogs({
    requests: { "2026-02-16": { "a.jsonl": [...homeChatters(), ...requests] } },
    accounts,
  });
  return (await auditDay(logs)).document;
}

/** The highest severity of any finding that flags the account (context accounts are not flagged). */
function flaggedAtMediumOrAbove(document: FindingsDocument, accountId: string): boolean {
  return document.findings.some((f) => f.accounts.includes(accountId) && atLeast(f.severity, "medium"));
}

/**
 * A harvester's request: a distinct problem, a request for the full derivation, the model's output
 * cap and thinking budget, one turn.
 */
function harvest(accountId: string, ts: string, rnd: () => number, extra: Record<string, unknown> = {}) {
  return request({
    account_id: accountId,
    ts,
    prompt: `Problem ${Math.floor(rnd() * 1e6)}: a ${TOPICS[Math.floor(rnd() * TOPICS.length)]} survey counts ${Math.floor(rnd() * 900)} items in ${Math.floor(rnd() * 40) + 2} groups. Explain your reasoning step by step, then give the final answer.`,
    max_tokens: SONNET_CAP,
    thinking_budget: SONNET_CAP - 1,
    temperature: 1,
    turns: 1,
    input_tokens: 80 + Math.floor(rnd() * 40),
    output_tokens: 6000 + Math.floor(rnd() * 4000),
    ...extra,
  });
}

describe("failure classes on the whole pipeline", () => {
  it("keeps strangers tied to a hydra by one soft link out of its verdict (hairball)", async () => {
    // Prepare: ten heads on one card; one person who shares a home network with a head in a few
    // hours and happens to use the same SDK.
    const rnd = prng(31);
    const heads = Array.from({ length: 10 }, (_, a) =>
      Array.from({ length: 60 }, (_, i) =>
        harvest(`head-${a}`, at(i * 1400 + a * 20 + rnd() * 30), rnd, {
          user_agent: "python-httpx/0.27.2",
          source_ip: i % 15 === 0 && a === 0 ? "198.51.100.7" : `52.${10 + a}.${i}.9`,
          source_asn: i % 15 === 0 && a === 0 ? 7922 : 16509,
        }),
      ),
    ).flat();
    const neighbour = Array.from({ length: 4 }, (_, h) =>
      request({
        account_id: "neighbour",
        ts: at((h * 15 * 1400) / 1 + 200),
        source_ip: "198.51.100.23",
        source_asn: 7922,
        user_agent: "python-httpx/0.27.2",
        prompt: `what time does the ${TOPICS[h]} market open on sunday`,
        turns: 1,
      }),
    );
    const accounts = [
      ...peopleAccounts(),
      ...Array.from({ length: 10 }, (_, a) =>
        account({
          account_id: `head-${a}`,
          created_at: "2026-02-14T03:00:00Z",
          payment_fingerprint: "pm_hydra",
        }),
      ),
      account({ account_id: "neighbour", payment_fingerprint: "pm_neighbour" }),
    ];
    // Act
    const document = await audit([...heads, ...neighbour], accounts);
    // Assess
    expect(flaggedAtMediumOrAbove(document, "head-0")).toBe(true);
    expect(flaggedAtMediumOrAbove(document, "neighbour")).toBe(false);
  });

  it("holds a busy automated product below medium, and flags the same automation harvesting (automation is not distillation)", async () => {
    // Prepare: a product opened yesterday that summarises its customers' reviews around the clock
    // from a cloud, at one temperature; and a harvester with the same automation that asks for
    // derivations at the caps.
    const rnd = prng(7);
    const product = Array.from({ length: 1200 }, (_, i) =>
      request({
        account_id: "review-app",
        ts: at(i * 70 + rnd() * 30),
        prompt: `Summarize the following customer review in two sentences: the ${TOPICS[i % TOPICS.length]} arrived ${i % 3 === 0 ? "late" : "on time"} and order ${i} was ${rnd() < 0.5 ? "fine" : "damaged"}.`,
        max_tokens: 300,
        temperature: 0,
        turns: 1,
        source_ip: `34.120.5.${i % 50}`,
        source_asn: 16509,
        user_agent: "review-app-backend/1.4",
        input_tokens: 60,
        output_tokens: 80,
      }),
    );
    const harvester = Array.from({ length: 1200 }, (_, i) =>
      harvest("harvester", at(i * 70 + rnd() * 30), rnd, {
        source_ip: `34.121.9.${i % 50}`,
        source_asn: 16509,
        user_agent: "batch-runner/0.2",
        temperature: 0,
      }),
    );
    const accounts = [
      ...peopleAccounts(),
      account({ account_id: "review-app", created_at: "2026-02-15T08:00:00Z", account_type: "startup" }),
      account({ account_id: "harvester", created_at: "2026-02-15T08:00:00Z", account_type: "startup" }),
    ];
    // Act
    const document = await audit([...product, ...harvester], accounts);
    // Assess
    expect(flaggedAtMediumOrAbove(document, "review-app")).toBe(false);
    const app = document.findings.find((f) => f.subject === "review-app");
    expect(app?.axes.automation ?? 0).toBeGreaterThan(0);
    expect(flaggedAtMediumOrAbove(document, "harvester")).toBe(true);
  });

  it("links rotating heads that each live a few hours below every volume floor, and pools their harvest (rotation)", async () => {
    // Prepare: twelve accounts opened today, each used for two hours and dropped for the next, on
    // one client and one template with the instruction at its end; and twelve people who each
    // try a popular app's opening line a few times from their old accounts.
    const rnd = prng(11);
    const heads = Array.from({ length: 12 }, (_, a) =>
      Array.from({ length: 20 }, (_, i) =>
        request({
          account_id: `rotor-${a}`,
          ts: at(a * 7200 + i * 340 + rnd() * 60),
          prompt: `Counting task from our practice set, item ${Math.floor(rnd() * 1e6)}: how many ways can ${Math.floor(rnd() * 50) + 3} ${TOPICS[(a + i) % TOPICS.length]} be grouped?\n\nShow your reasoning step by step before the final answer.`,
          max_tokens: SONNET_CAP,
          thinking_budget: SONNET_CAP - 1,
          turns: 1,
          user_agent: "rotor-client/3.1",
          source_ip: `100.64.${a}.${i}`,
          input_tokens: 70,
          output_tokens: 7000,
        }),
      ),
    ).flat();
    const triers = Array.from({ length: 12 }, (_, u) =>
      Array.from({ length: 4 }, (_, i) =>
        request({
          account_id: `trier-${u}`,
          ts: at(u * 3000 + i * 600),
          prompt: `Show your reasoning step by step: which ${TOPICS[(u * 3 + i) % TOPICS.length]} should I pick for my garden, user ${u}?`,
          turns: 2 * i + 1,
          conversation_id: `trier-${u}-c`,
          user_agent: `browser-${u % 4}`,
          source_ip: `198.18.${u}.4`,
        }),
      ),
    ).flat();
    const accounts = [
      ...peopleAccounts(),
      ...Array.from({ length: 12 }, (_, a) =>
        account({
          account_id: `rotor-${a}`,
          created_at: `2026-02-16T0${Math.min(9, a)}:00:00Z`,
          payment_fingerprint: `pm_rotor_${a}`,
        }),
      ),
      ...Array.from({ length: 12 }, (_, u) =>
        account({ account_id: `trier-${u}`, payment_fingerprint: `pm_trier_${u}` }),
      ),
    ];
    // Act
    const document = await audit([...heads, ...triers], accounts);
    // Assess
    const rotors = Array.from({ length: 12 }, (_, a) => `rotor-${a}`);
    expect(rotors.filter((r) => flaggedAtMediumOrAbove(document, r))).toEqual(rotors);
    const cluster = document.findings.find((f) => f.kind === "cluster" && f.accounts.includes("rotor-0"));
    expect(cluster?.links.map((l) => l.trait)).toContain("disposable_heads");
    expect(cluster?.signals.find((s) => s.name === "pooled_elicitation")?.fired).toBe(true);
    for (let u = 0; u < 12; u++) expect(flaggedAtMediumOrAbove(document, `trier-${u}`)).toBe(false);
  });
});
