import { z } from "zod";
import type { AccountSignal } from "../../domain/signal.ts";
import { windowParams } from "../../engine/port.ts";
import { measure } from "../../scoring/signal.ts";
import { count, pct } from "../explain.ts";
import { defineDetector } from "../types.ts";
import { DEFAULT_HOSTING_ASNS } from "./hosting.ts";

interface AccessRow {
  [key: string]: string | number | null;
  account_id: string;
  account_type: string | null;
  signup_country: string | null;
  requests: number;
  asn_requests: number;
  hosting_requests: number;
  country_requests: number;
  foreign_requests: number;
  countries: number;
  age_days: number | null;
}

export const accessPath = defineDetector({
  id: "access_path",
  title: "Access path and geography",
  stage: "account",
  rationale:
    "Campaigns open accounts where scrutiny is lowest and credit is cheapest: education, research and " +
    "startup programmes. Those accounts then run from rented servers (hosting-provider networks), " +
    "often through proxies in another country than the one given at sign-up, and start working as " +
    "soon as they exist. The detector measures an abused account type sending from hosting networks, " +
    "traffic from residential or mobile networks in many countries other than the sign-up country " +
    "(a rotating proxy pool), and the account's age at its first request.",
  benignLookalikes:
    "Students use campus networks, not cloud servers; but a research group's benchmark harness on a " +
    "cloud VM does look like this, and startups run on clouds as a matter of course, so research " +
    "accounts count three quarters, startups half, and every signal here weighs little. Expats, travellers and VPN users send " +
    "from another country, but from one or two: geography needs most of the traffic abroad and at " +
    "least three foreign countries, and ignores hosting networks (a server's cloud region says " +
    "nothing about its owner). New accounts are mostly " +
    "honest newcomers: age alone weighs least of all and matters when many linked accounts are new " +
    "together.",
  runbook: [
    "Check the account's verification for its type: a real institution e-mail and affiliation for education and research.",
    "Look up the hosting networks and countries it sends from against its sign-up country and stated use.",
    "For a new account, compare its first days with the programme's usual onboarding (trial-sized use, not full-rate pipelines).",
  ],
  thresholds: z
    .object({
      /** Accounts with fewer requests in the window are not measured. */
      min_requests: z.number().int().min(1).default(10),
      /** Autonomous systems of hosting providers (servers rather than people). */
      hosting_asns: z.array(z.number().int().positive()).default([...DEFAULT_HOSTING_ASNS]),
      /** Account types that discount or credit programmes attract, with how much each counts (0–1). */
      abused_account_types: z
        .record(z.string(), z.number().min(0).max(1))
        .default({ education: 1, research: 0.75, startup: 0.5 }),
      /** Share of the account's requests from hosting networks: fires, saturates. */
      hosting_share: z.number().min(0).max(1).default(0.5),
      hosting_share_saturation: z.number().min(0).max(1).default(0.9),
      /** Geography is measured on accounts with at least this share of non-hosting traffic abroad... */
      foreign_share: z.number().min(0).max(1).default(0.5),
      /** ...and fires on this many distinct foreign countries (saturating at the second). */
      foreign_countries: z.number().int().min(1).default(3),
      foreign_countries_saturation: z.number().int().min(1).default(8),
      /** Account age (days) at its first request in the window: fires at or below, full at 0. */
      new_account_days: z.number().min(0).default(7),
    })
    .strict(),
  requires: { accounts: true, fields: ["source_asn", "source_country"] },
  async run(context, t) {
    const result = await context.engine.run<AccessRow>("detector_access_path", {
      ...windowParams(context.window),
      hosting_asns: t.hosting_asns.map(String),
      min_requests: t.min_requests,
    });
    const types = new Map(Object.entries(t.abused_account_types).map(([k, v]) => [k.toLowerCase(), v]));
    const accountSignals: AccountSignal[] = [];
    for (const row of result.rows) {
      const factor = row.account_type === null ? undefined : types.get(row.account_type);
      if (factor !== undefined && factor > 0 && row.asn_requests > 0) {
        const share = row.hosting_requests / row.asn_requests;
        accountSignals.push({
          account: row.account_id,
          signal: measure({
            detector: "access_path",
            name: "abused_type_on_hosting",
            axis: "automation",
            facet: "access",
            value: share,
            threshold: t.hosting_share,
            saturation: t.hosting_share_saturation,
            weight: 0.2 * factor,
            explanation: `${row.account_type} account sending ${pct(share)} of its requests from hosting-provider networks`,
          }),
        });
      }
      if (row.signup_country !== null && row.country_requests > 0) {
        // Mostly abroad is a gate, not the tell: expats, travellers and VPN users are abroad in one
        // country. Many countries at once is the rotating residential proxy.
        const share = row.foreign_requests / row.country_requests;
        if (share >= t.foreign_share) {
          accountSignals.push({
            account: row.account_id,
            signal: measure({
              detector: "access_path",
              name: "foreign_proxy_spread",
              axis: "coordination",
              facet: "proxies",
              value: row.countries,
              threshold: t.foreign_countries,
              saturation: t.foreign_countries_saturation,
              weight: 0.2,
              explanation: `${pct(share)} of its requests from non-hosting networks come from ${count(row.countries)} countr${row.countries === 1 ? "y" : "ies"} other than its sign-up country ${row.signup_country}`,
            }),
          });
        }
      }
      if (row.age_days !== null) {
        const age = Math.max(0, row.age_days);
        accountSignals.push({
          account: row.account_id,
          signal: measure({
            detector: "access_path",
            name: "new_account",
            axis: "automation",
            facet: "access",
            value: age,
            threshold: t.new_account_days,
            saturation: 0,
            weight: 0.08,
            explanation: `account was ${age.toFixed(1)} days old at its first request in the window`,
          }),
        });
      }
    }
    return { accountSignals, stats: [result.stats] };
  },
});
