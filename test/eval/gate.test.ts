import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config.ts";
import { EXTERNAL_TARGETS, evaluate, targetMisses } from "../../lib/eval/metrics.ts";
import {
  type EvaluatedRun,
  evaluateExternal,
  gatedFailures,
  MEASURED_NOT_GATED_MIXES,
} from "../../lib/eval/run.ts";
import { suiteSummaryTable } from "../../lib/eval/table.ts";
import type { AccountLabel } from "../../lib/generate/index.ts";
import { accountFinding, makeDocument } from "../support/findings.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function label(account_id: string, kind: AccountLabel["kind"], archetype: string): AccountLabel {
  const l: AccountLabel = { account_id, kind, archetype, hard_negative: archetype === "hn", requests: 10 };
  if (kind === "campaign") l.campaign = archetype;
  return l;
}

/** A run whose audit caught the campaign (or not) and flagged a hard negative at high (or not). */
function run(name: string, gated: boolean, good: boolean): EvaluatedRun {
  const labels = new Map(
    [label("c1", "campaign", "hydra"), label("b1", "benign", "hn")].map((l) => [l.account_id, l]),
  );
  const document = makeDocument(
    good ? [accountFinding("c1", { severity: "high" })] : [accountFinding("b1", { severity: "high" })],
  );
  const evaluation = evaluate(document, labels);
  return { name, evaluation, misses: targetMisses(evaluation, EXTERNAL_TARGETS), auditMs: 1, gated };
}

describe("gating of the evaluation suite", () => {
  it("fails the suite only on gated runs that miss a target", () => {
    const runs = [
      run("baseline", true, true),
      run("adversarial", false, false),
      run("stealthy", true, false),
    ];

    expect(runs.map((r) => r.misses.length > 0)).toEqual([false, true, true]);
    expect(gatedFailures(runs).map((r) => r.name)).toEqual(["stealthy"]);
    expect(gatedFailures(runs.slice(0, 2))).toEqual([]);
  });

  it("keeps the adversarial mix measured, not gated, and the original mixes gated", () => {
    expect(MEASURED_NOT_GATED_MIXES).toEqual(["adversarial"]);
  });

  it("prints one summary line per data set with its gate and worst campaign", () => {
    const table = suiteSummaryTable([run("baseline-seed1", true, true), run("dev set x", false, false)]);
    const lines = table.split("\n");

    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^\| baseline-seed1 +\| gated +\| 1\.000 +\| 1\.000 .*\| hydra 1\.000 +\| met +\|$/,
    );
    expect(lines[3]).toMatch(
      /^\| dev set x +\| measured, not gated +\| 0\.000 +\| 0\.000 .*\| 1 +\| hydra 0\.000 +\| 6 missed +\|$/,
    );
  });

  it("skips an external data set that is absent or unlabelled", async () => {
    const dir = mkdtempSync(join(tmpdir(), "distill-devset-"));
    dirs.push(dir);
    mkdirSync(join(dir, "requests"));

    expect(await evaluateExternal(join(dir, "absent"), parseConfig({}), "x")).toBeNull();
    expect(await evaluateExternal(dir, parseConfig({}), "x")).toBeNull();
    writeFileSync(join(dir, "labels.jsonl"), "");
    // labelled now: the audit runs (and fails on an empty log root, which is an input error)
    await expect(evaluateExternal(dir, parseConfig({}), "x")).rejects.toThrow();
  });
});
