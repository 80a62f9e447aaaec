import { execFile } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { request } from "../support/logs.ts";
import { auditLogs, expectCountsAddUp, logRoot, removeAfter } from "./support.ts";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "..", "..", "bin", "distill-audit.js");
const DAY_DIR = ["requests", "dt=2026-02-16"];

function lines(...records: Record<string, unknown>[]): string {
  return `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;
}

/** Runs the CLI audit in a child process; `uid` runs it as that user (needs root). */
async function cli(logs: string, out: string, uid?: number): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [CLI, "audit", "--logs", logs, "--out", out], {
      // TMPDIR inside the test's folder: tsx keeps a cache per user there, removed with the folder.
      env: { ...process.env, NO_COLOR: "1", HOME: out, TMPDIR: out },
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? "" };
  }
}

describe("faults: one bad file never aborts the audit", () => {
  it("names every unreadable JSON Lines file with its reason and audits the rest", async () => {
    // Prepare
    const logs = logRoot({ requests: { "2026-02-16": { "good.jsonl": [request({ request_id: "good" })] } } });
    const dir = join(logs, ...DAY_DIR);
    writeFileSync(join(dir, "empty.jsonl.gz"), "");
    writeFileSync(join(dir, "plain.jsonl.gz"), lines(request({ request_id: "plain" })));
    writeFileSync(
      join(dir, "garbage.jsonl.gz"),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]),
    );
    symlinkSync(join(dir, "loop-b.jsonl"), join(dir, "loop-a.jsonl"));
    symlinkSync(join(dir, "loop-a.jsonl"), join(dir, "loop-b.jsonl"));
    symlinkSync(join(dir, "nowhere.jsonl"), join(dir, "dangling.jsonl"));
    mkdirSync(join(dir, "x.jsonl"));
    writeFileSync(join(dir, "x.jsonl", "inner.jsonl"), lines(request({ request_id: "inner" })));
    mkdirSync(join(logs, "requests", "dt=2026-13-45"));
    writeFileSync(join(logs, "requests", "dt=2026-13-45", "a.jsonl"), lines(request()));
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["good"]);
    expect(quality.unreadable_files).toEqual([
      { file: "requests/dt=2026-02-16/dangling.jsonl", reason: "dangling_link" },
      { file: "requests/dt=2026-02-16/empty.jsonl.gz", reason: "empty_file" },
      { file: "requests/dt=2026-02-16/garbage.jsonl.gz", reason: "not_gzip" },
      { file: "requests/dt=2026-02-16/loop-a.jsonl", reason: "symlink_loop" },
      { file: "requests/dt=2026-02-16/loop-b.jsonl", reason: "symlink_loop" },
      { file: "requests/dt=2026-02-16/plain.jsonl.gz", reason: "not_gzip" },
      { file: "requests/dt=2026-02-16/x.jsonl", reason: "is_a_directory" },
      { file: "requests/dt=2026-13-45/", reason: "invalid_partition_date" },
    ]);
    expect(quality.files_read).toBe(1);
    expect(quality.requests_read).toBe(1);
  });

  it("sets aside a line of invalid UTF-8 or over 16 MiB as one record, reading the rest of its file", async () => {
    // Prepare
    const logs = logRoot({ requests: { "2026-02-16": { "a.jsonl": [request({ request_id: "a1" })] } } });
    const dir = join(logs, ...DAY_DIR);
    const bad = Buffer.concat([
      Buffer.from(lines(request({ request_id: "u1" }))),
      Buffer.from('{"request_id":"u2","prompt":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}\n'),
      Buffer.from(lines(request({ request_id: "u3" }))),
    ]);
    writeFileSync(join(dir, "utf8.jsonl"), bad);
    writeFileSync(
      join(dir, "long.jsonl.gz"),
      gzipSync(
        lines(
          request({ request_id: "l1" }),
          request({ request_id: "l2", prompt: "x".repeat(17 * 1024 * 1024) }),
          request({ request_id: "l3" }),
        ),
      ),
    );
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["a1", "l1", "l3", "u1", "u3"]);
    expect(quality.rejected).toEqual({ invalid_utf8: 1, line_too_long: 1 });
    expect(quality.unreadable_files).toEqual([]);
    expect(quality.requests_read).toBe(7);
  });

  it("counts what the layout does not read as skipped, with the reason", async () => {
    // Prepare
    const logs = logRoot({ requests: { "2026-02-16": { "a.jsonl": [request({ request_id: "a1" })] } } });
    const dir = join(logs, ...DAY_DIR);
    const one = lines(request());
    writeFileSync(join(dir, "b.json"), one);
    writeFileSync(join(dir, "C.JSONL"), one);
    writeFileSync(join(dir, ".hidden.jsonl"), one);
    writeFileSync(join(dir, "_SUCCESS"), "");
    mkdirSync(join(dir, "deeper"));
    writeFileSync(join(dir, "deeper", "d.jsonl"), one);
    mkdirSync(join(logs, "requests", "dt=garbage"));
    writeFileSync(join(logs, "requests", "dt=garbage", "e.jsonl"), one);
    writeFileSync(join(logs, "requests", "stray.jsonl"), one);
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["a1"]);
    expect(quality.skipped_files).toEqual([
      { file: "requests/dt=2026-02-16/.hidden.jsonl", reason: "hidden" },
      { file: "requests/dt=2026-02-16/C.JSONL", reason: "unsupported_extension" },
      { file: "requests/dt=2026-02-16/_SUCCESS", reason: "hidden" },
      { file: "requests/dt=2026-02-16/b.json", reason: "unsupported_extension" },
      { file: "requests/dt=2026-02-16/deeper/", reason: "nested_too_deep" },
      { file: "requests/dt=garbage/", reason: "not_a_partition" },
      { file: "requests/stray.jsonl", reason: "outside_partition" },
    ]);
    expect(quality.requests_read).toBe(1);
  });

  it("names a file the audit may not read, and exits 3 when nothing at all could be read", {
    timeout: 60_000,
  }, async () => {
    // Prepare: root ignores file permissions, so as root the audit runs as `nobody` (uid 65534),
    // for whom a mode-000 file really is unreadable; the log root and output are theirs to use.
    const asUser = process.getuid?.() === 0 ? 65534 : undefined;
    const root = mkdtempSync(join(tmpdir(), "distill-perm-"));
    removeAfter(root);
    const logs = join(root, "logs");
    const dir = join(logs, ...DAY_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a.jsonl"), lines(request({ request_id: "a1" })));
    writeFileSync(join(dir, "secret.jsonl"), lines(request({ request_id: "s1" })));
    chmodSync(join(dir, "secret.jsonl"), 0o000);
    const out = join(root, "out");
    mkdirSync(out);
    if (asUser !== undefined) {
      for (const path of [root, logs, join(logs, "requests"), dir, join(dir, "a.jsonl"), out])
        chownSync(path, asUser, asUser);
      chmodSync(root, 0o755);
    }
    // Act
    const some = await cli(logs, out, asUser);
    chmodSync(join(dir, "a.jsonl"), 0o000);
    const none = await cli(logs, join(out, "none"), asUser);
    // Assess
    expect(some.code).toBe(0);
    const runDir = join(out, "reports", "dt=2026-02-16");
    const [only] = readdirSync(runDir);
    const quality = JSON.parse(
      readFileSync(join(runDir, only as string, "findings.json"), "utf8"),
    ).data_quality;
    expectCountsAddUp(quality);
    expect(quality.unreadable_files).toEqual([
      { file: "requests/dt=2026-02-16/secret.jsonl", reason: "permission_denied" },
    ]);
    expect(quality.requests_accepted).toBe(1);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/none of the 2 request files of the window could be read/);
  });
});
