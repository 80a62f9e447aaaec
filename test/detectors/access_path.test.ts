import { describe, expect, it } from "vitest";
import { accessPath } from "../../lib/detectors/access_path/access_path.ts";
import type { AccountRecord } from "../../lib/schema/log-schema.ts";
import { at, auditWithOnly, signalOf } from "../support/detect.ts";
import { account, request, writeLogs } from "../support/logs.ts";
import { runStage } from "../support/stage.ts";

interface Network {
  readonly asn: number;
  readonly country: string;
}

/** Twenty requests through the day, cycling through the given networks. */
function traffic(accountId: string, ...networks: Network[]): Record<string, unknown>[] {
  return Array.from({ length: 20 }, (_, i) => {
    const network = networks[i % networks.length] as Network;
    return request({
      account_id: accountId,
      ts: at(8 * 3600 + i * 1500),
      source_ip: `192.0.2.${i + 1}`,
      source_asn: network.asn,
      source_country: network.country,
      prompt: `question ${i}`,
    });
  });
}

const CLOUD_US = { asn: 16509, country: "US" };
const CAMPUS_SG = { asn: 7472, country: "SG" };
/** Residential and mobile networks in four countries: a rotating proxy pool. */
const PROXIES = [
  { asn: 7922, country: "US" },
  { asn: 3320, country: "DE" },
  { asn: 4713, country: "JP" },
  { asn: 28573, country: "BR" },
];
const HOME_DE = { asn: 3320, country: "DE" };

const accounts: AccountRecord[] = [
  // Opened two days ago as a Singapore education account, run from US cloud servers.
  account({
    account_id: "abuser",
    account_type: "education",
    signup_country: "SG",
    created_at: "2026-02-14T09:00:00Z",
  }),
  // Opened yesterday in Singapore, sending through residential proxies in four other countries.
  account({
    account_id: "proxied",
    account_type: "individual",
    signup_country: "SG",
    created_at: "2026-02-15T09:00:00Z",
  }),
  // A student on the campus network, in the country they signed up in.
  account({
    account_id: "student",
    account_type: "education",
    signup_country: "SG",
    created_at: "2025-09-01T00:00:00Z",
  }),
  // Someone who signed up in France and has since moved to Germany.
  account({
    account_id: "expat",
    account_type: "individual",
    signup_country: "FR",
    created_at: "2024-03-01T00:00:00Z",
  }),
  // A startup's production app on the cloud at home.
  account({
    account_id: "startup",
    account_type: "startup",
    signup_country: "US",
    created_at: "2025-06-01T00:00:00Z",
  }),
  // An individual developer's server on the cloud, signed up elsewhere: not an abused account type.
  account({
    account_id: "developer",
    account_type: "individual",
    signup_country: "CA",
    created_at: "2025-01-01T00:00:00Z",
  }),
];

function logs(): string {
  return writeLogs({
    requests: {
      "2026-02-16": {
        "a.jsonl": [
          ...traffic("abuser", CLOUD_US),
          ...traffic("proxied", ...PROXIES),
          ...traffic("student", CAMPUS_SG),
          ...traffic("expat", HOME_DE),
          ...traffic("startup", CLOUD_US),
          ...traffic("developer", CLOUD_US),
        ],
      },
    },
    accounts,
  });
}

describe("access_path detector", () => {
  it("fires on a new education account run from cloud servers", async () => {
    // Prepare
    const dir = logs();
    // Act
    const result = await runStage(accessPath, dir);
    // Assess
    expect(signalOf(result, "abuser", "abused_type_on_hosting")).toMatchObject({
      value: 1,
      fired: true,
      contribution: 0.2,
    });
    expect(signalOf(result, "abuser", "new_account")?.fired).toBe(true);
    // Cloud traffic says nothing about where its owner is.
    expect(signalOf(result, "abuser", "foreign_proxy_spread")).toBeUndefined();
    for (const s of result.accountSignals) expect(s.signal.weight).toBeLessThanOrEqual(0.3);
  });

  it("fires on traffic through residential networks in many countries other than the sign-up country", async () => {
    // Prepare
    const dir = logs();
    // Act
    const result = await runStage(accessPath, dir);
    // Assess
    expect(signalOf(result, "proxied", "foreign_proxy_spread")).toMatchObject({ value: 4, fired: true });
    expect(signalOf(result, "proxied", "foreign_proxy_spread")?.explanation).toBe(
      "100% of its requests from non-hosting networks come from 4 countries other than its sign-up country SG",
    );
  });

  it("stays quiet on a student on campus, an expat at home abroad and a developer's cloud server", async () => {
    // Prepare
    const dir = logs();
    // Act
    const result = await runStage(accessPath, dir);
    // Assess
    const fired = result.accountSignals.filter(
      (s) => ["student", "expat", "developer"].includes(s.account) && s.signal.fired,
    );
    expect(fired).toEqual([]);
    expect(signalOf(result, "expat", "foreign_proxy_spread")?.value).toBe(1);
  });

  it("counts a startup on a cloud at half weight", async () => {
    // Prepare
    const dir = logs();
    // Act
    const result = await runStage(accessPath, dir);
    // Assess
    const startup = signalOf(result, "startup", "abused_type_on_hosting");
    expect(startup?.fired).toBe(true);
    expect(startup?.contribution).toBe(0.1);
  });

  it("is skipped, with the reason, when the logs have no accounts table", async () => {
    // Prepare: every other detector disabled.
    const dir = writeLogs({ requests: { "2026-02-16": { "a.jsonl": traffic("abuser", CLOUD_US) } } });
    // Act
    const outcome = await auditWithOnly("access_path", dir);
    // Assess
    expect(outcome.document.detectors).toEqual([
      {
        id: "access_path",
        title: accessPath.title,
        status: "skipped",
        reason: "no accounts table in the logs",
        accounts_signalled: 0,
      },
    ]);
  });
});
