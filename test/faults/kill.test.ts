import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atLeast } from "../../lib/domain/signal.ts";
import type { FindingsDocument } from "../../lib/findings/model.ts";
import { generateTraffic } from "../../lib/generate/index.ts";
import { FsReportStore } from "../../lib/store/fs.ts";
import { latestLock } from "../../lib/store/run-lock.ts";
import { KILL_STAGES, type KillStage } from "./stages.ts";

/**
 * Kill tests: the CLI audit runs in a child process that SIGKILLs itself at one stage of
 * publishing (test/faults/kill-entry.ts), then the same audit runs again. Whatever the stage,
 * every alerting finding must have been e-mailed (an .eml in the outbox) at least once, any
 * finding e-mailed twice must carry one digest id in both, a kill before the digest left must
 * lead to exactly one e-mail, and nothing half-written may remain.
 */

const ENTRY = new URL("./kill-entry.ts", import.meta.url).pathname;
const ROOT = new URL("../..", import.meta.url).pathname;
let work: string;
let logs: string;
let config: string;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function run(stage: KillStage | "none", out: string): Promise<Run> {
  const cli = ["--logs", logs, "--out", out, "--config", config, "--schedule", "faults", "--threads", "1"];
  const args =
    stage === "none"
      ? ["--import", "tsx", join(ROOT, "bin/distill-audit.js"), "audit", ...cli]
      : ["--import", "tsx", ENTRY, stage, "--", "audit", ...cli];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

interface Email {
  readonly digestId: string;
  readonly findingIds: readonly string[];
}

function emails(out: string): Email[] {
  return filesUnder(join(out, "outbox"))
    .filter((f) => f.endsWith(".eml"))
    .map((f) => {
      const text = readFileSync(f, "utf8");
      return {
        digestId: /^X-Attribute-digest_id: (.+)$/m.exec(text)?.[1]?.trim() ?? "",
        findingIds: [...text.matchAll(/^ {3}Finding id: (\S+)/gm)].map((m) => m[1] as string),
      };
    });
}

function alerting(out: string): string[] {
  const [findingsFile] = filesUnder(join(out, "reports")).filter((f) => f.endsWith("findings.json"));
  const document = JSON.parse(readFileSync(findingsFile as string, "utf8")) as FindingsDocument;
  return document.findings.filter((f) => atLeast(f.severity, "medium")).map((f) => f.id);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "distill-faults-"));
  logs = join(work, "logs");
  await generateTraffic({ outDir: logs, requests: 3000, days: 2, seed: 5, format: "jsonl", workers: 0 });
  config = join(work, "config.json");
  // Every alerting finding listed in the body, so the e-mails say which findings they carry.
  writeFileSync(config, JSON.stringify({ alerts: { min_severity: "medium", max_findings: 200 } }));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Stages after which the digest may already have left: a resend is allowed there, with its id. */
const MAY_HAVE_SENT = new Set<KillStage>(["sent", "confirm", "release"]);

describe.concurrent("a CLI audit killed while publishing, then run again", () => {
  it.each(KILL_STAGES)("killed at %s: every finding alerted, duplicates share a digest id", async (stage) => {
    // prepare
    const out = mkdtempSync(join(work, `out-${stage}-`));

    // act
    const killed = await run(stage, out);
    const rerun = await run("none", out);

    // assess
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    expect(rerun.code, rerun.stderr).toBe(0);
    const wanted = alerting(out);
    expect(wanted.length).toBeGreaterThan(0);
    const sent = emails(out);
    const perFinding = new Map<string, Set<string>>();
    let copies = 0;
    for (const email of sent) {
      for (const id of email.findingIds) {
        perFinding.set(id, (perFinding.get(id) ?? new Set()).add(email.digestId));
        copies += 1;
      }
    }
    expect([...perFinding.keys()].sort()).toEqual([...wanted].sort());
    for (const [id, digests] of perFinding) expect(digests.size, `${id} under several digest ids`).toBe(1);
    if (!MAY_HAVE_SENT.has(stage)) {
      expect(sent).toHaveLength(1);
      expect(copies).toBe(wanted.length);
    }
    // Nothing half-written survives the rerun: no temp file, every marker confirmed, lock free.
    expect(filesUnder(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const markers = filesUnder(join(out, "alerts")).map(
      (f) => (JSON.parse(readFileSync(f, "utf8")) as { status: string }).status,
    );
    expect(new Set(markers)).toEqual(new Set(["sent"]));
    const store = new FsReportStore(out);
    const [lockSegment] = readdirSync(join(out, "locks"));
    expect((await latestLock(store, lockSegment as string)).record?.status).toBe("released");
  });

  it("leaves a stray temporary file when killed mid-write, which the next run removes", async () => {
    // prepare
    const out = mkdtempSync(join(work, "out-temp-"));

    // act
    await run("bundle-temp", out);
    const strays = filesUnder(out).filter((f) => f.endsWith(".tmp"));
    const rerun = await run("none", out);

    // assess
    expect(strays.length).toBeGreaterThan(0);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(filesUnder(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("sends one digest when two runs of one window publish at the same time", async () => {
    // prepare
    const out = mkdtempSync(join(work, "out-overlap-"));

    // act
    const runs = await Promise.all([run("none", out), run("none", out)]);

    // assess
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const sent = emails(out);
    expect(sent).toHaveLength(1);
    expect([...(sent[0]?.findingIds ?? [])].sort()).toEqual(alerting(out).sort());
  });
});
