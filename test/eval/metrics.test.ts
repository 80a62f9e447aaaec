import { describe, expect, it } from "vitest";
import { EXTERNAL_TARGETS, evaluate, SUITE_TARGETS, targetMisses } from "../../lib/eval/metrics.ts";
import type { AccountLabel } from "../../lib/generate/index.ts";
import { accountFinding, clusterFinding, makeDocument } from "../support/findings.ts";

function label(
  account_id: string,
  kind: AccountLabel["kind"],
  archetype: string,
  requests = 100,
): AccountLabel {
  return {
    account_id,
    kind,
    archetype,
    campaign: kind === "campaign" ? archetype : undefined,
    hard_negative: archetype.startsWith("hn-"),
    requests,
  } as AccountLabel;
}

describe("evaluation against labels", () => {
  it("counts cluster members as flagged and scores precision, recall and volume recall", () => {
    // Prepare
    const labels = new Map(
      [
        label("c1", "campaign", "hydra", 300),
        label("c2", "campaign", "hydra", 100),
        label("c3", "campaign", "evasive", 100),
        label("c4", "campaign", "evasive", 0),
        label("b1", "benign", "hn-nat"),
        label("b2", "benign", "casual"),
      ].map((l) => [l.account_id, l]),
    );
    const document = makeDocument([
      clusterFinding(["c1", "c2", "c4"], { severity: "critical" }),
      accountFinding("b1", { severity: "medium" }),
      accountFinding("c3", { severity: "low" }),
    ]);
    // Act
    const evaluation = evaluate(document, labels);
    // Assess
    expect(evaluation.medium).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 1 });
    expect(evaluation.medium.precision).toBeCloseTo(2 / 3);
    expect(evaluation.medium.recall).toBeCloseTo(2 / 3);
    expect(evaluation.medium.volumeRecall).toBeCloseTo(400 / 500);
    expect(evaluation.high).toMatchObject({ truePositives: 2, falsePositives: 0 });
    expect(evaluation.campaigns.find((c) => c.name === "evasive")).toMatchObject({
      accounts: 1,
      flaggedMedium: 0,
    });
    expect(evaluation.archetypes.find((a) => a.name === "hn-nat (HN)")).toMatchObject({
      flaggedMedium: 1,
      flaggedHigh: 0,
    });
    expect(targetMisses(evaluation, EXTERNAL_TARGETS)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^precision/),
        expect.stringMatching(/^recall/),
        "campaign evasive not caught",
      ]),
    );
  });

  it("holds traffic it did not write to every campaign, to volume and to no benign account at high", () => {
    // Prepare: 59 of 60 hydra heads caught, 2 of 3 careful accounts caught, one casual user at high.
    const labels = new Map(
      [
        ...Array.from({ length: 60 }, (_, i) => label(`h${i}`, "campaign", "hydra", 100)),
        ...Array.from({ length: 3 }, (_, i) => label(`k${i}`, "campaign", "careful", 20)),
        ...Array.from({ length: 200 }, (_, i) => label(`p${i}`, "benign", "casual")),
      ].map((l) => [l.account_id, l]),
    );
    const document = makeDocument([
      clusterFinding(
        Array.from({ length: 59 }, (_, i) => `h${i}`),
        { severity: "critical" },
      ),
      clusterFinding(["k0", "k1"], { id: "clus-careful", severity: "high" }),
      accountFinding("p0", { severity: "high" }),
    ]);
    // Act
    const evaluation = evaluate(document, labels);
    // Assess
    expect(targetMisses(evaluation, EXTERNAL_TARGETS)).toEqual([
      "volume-weighted recall at medium+ 0.980 < 0.99",
      "campaign careful recall at medium+ 0.667 < 0.9",
      "1 benign accounts at high+ > 0",
    ]);
    expect(targetMisses(evaluation, SUITE_TARGETS)).toEqual([]);
  });
});
