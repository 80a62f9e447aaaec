import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { FsReportStore, HOST_TAG, TEMP_DIR } from "../../lib/store/fs.ts";

/** A store rooted one level inside a fresh temp folder, so "outside the root" is private too. */
function freshStore(): FsReportStore {
  return new FsReportStore(join(mkdtempSync(join(tmpdir(), "distill-store-")), "store"));
}

/** Every file under a directory, relative, so leftovers (temp files) show up. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe("FsReportStore", () => {
  it("writes new content, leaves identical content alone and replaces changed content", async () => {
    // prepare
    const store = freshStore();
    const key = "reports/dt=2026-02-23/run=a/findings.json";

    // act
    const first = await store.put(key, "one\n", "application/json");
    const again = await store.put(key, new TextEncoder().encode("one\n"), "application/json");
    const changed = await store.put(key, "two\n", "application/json");

    // assess
    expect([first, again, changed]).toEqual(["written", "unchanged", "written"]);
    expect(readFileSync(store.locate(key), "utf8")).toBe("two\n");
    expect(listFiles(store.root)).toEqual(["reports/dt=2026-02-23/run=a/findings.json"]);
  });

  it("reads back bytes, and null for a missing key", async () => {
    // prepare
    const store = freshStore();
    await store.put("a/b.txt", "héllo", "text/plain");

    // act
    const found = await store.get("a/b.txt");
    const missing = await store.get("a/none.txt");

    // assess
    expect(Buffer.from(found ?? new Uint8Array()).toString("utf8")).toBe("héllo");
    expect(missing).toBeNull();
  });

  it("creates a marker exclusively: the second create of a key fails and keeps the first body", async () => {
    // prepare
    const store = freshStore();

    // act
    const first = await store.createExclusive("alerts/f1/high", "first");
    const second = await store.createExclusive("alerts/f1/high", "second");

    // assess
    expect([first, second]).toEqual([true, false]);
    expect(readFileSync(store.locate("alerts/f1/high"), "utf8")).toBe("first");
  });

  it("lets exactly one of many concurrent exclusive creates win", async () => {
    // prepare
    const store = freshStore();

    // act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.createExclusive("alerts/race/critical", `run-${i}`)),
    );

    // assess
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("leaves a consistent file when many writers put the same key at once", async () => {
    // prepare
    const store = freshStore();
    const bodies = Array.from({ length: 10 }, (_, i) => `body-${i}-${"x".repeat(10_000)}`);

    // act
    await Promise.all(bodies.map((b) => store.put("k/file.txt", b, "text/plain")));

    // assess: one of the bodies, whole, and no temp file left behind
    expect(bodies).toContain(readFileSync(store.locate("k/file.txt"), "utf8"));
    expect(listFiles(store.root)).toEqual(["k/file.txt"]);
  });

  it("locates a key as an absolute path under its root", () => {
    // prepare
    const store = freshStore();

    // act
    const path = store.locate("reports/x/report.html");

    // assess
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(join(store.root, "reports", "x", "report.html"));
  });

  it("refuses keys that would leave the root or are not plain relative paths", async () => {
    // prepare
    const store = freshStore();
    const outside = join(store.root, "..", "escaped.txt");
    writeFileSync(outside, "keep");

    // act / assess
    for (const key of [
      "../escaped.txt",
      "a/../../escaped.txt",
      "/etc/passwd",
      "a//b",
      "a\\b",
      "",
      "a/./b",
      "a\nb",
    ]) {
      await expect(store.put(key, "x", "text/plain"), key).rejects.toThrow(/invalid store key/);
      await expect(store.createExclusive(key, "x"), key).rejects.toThrow(/invalid store key/);
      expect(() => store.locate(key), key).toThrow(/invalid store key/);
    }
    expect(readFileSync(outside, "utf8")).toBe("keep");
  });
});

describe("FsReportStore after a crash", () => {
  it("writes through its temp folder and leaves no temp file behind", async () => {
    // prepare
    const store = freshStore();

    // act
    await store.put("reports/a/findings.json", "{}", "application/json");
    await store.createExclusive("alerts/f/high", '{"status":"claimed"}');

    // assess
    expect(listFiles(store.root)).toEqual(["alerts/f/high", "reports/a/findings.json"]);
    expect(readFileSync(join(store.root, "alerts/f/high"), "utf8")).toBe('{"status":"claimed"}');
  });

  it("sweeps temp files of dead writers and old ones, keeping those of live writers", async () => {
    // prepare
    const store = freshStore();
    const temp = join(store.root, TEMP_DIR);
    mkdirSync(temp, { recursive: true });
    const dead = `${HOST_TAG}-99999999-aa.tmp`;
    const live = `${HOST_TAG}-${process.pid}-bb.tmp`;
    const otherHost = "00000000-1-cc.tmp";
    const old = "ffffffff-1-dd.tmp";
    for (const name of [dead, live, otherHost, old]) writeFileSync(join(temp, name), "x");
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    utimesSync(join(temp, old), dayAgo, dayAgo);

    // act
    const removed = await store.sweep();

    // assess
    expect(removed).toBe(2);
    expect(readdirSync(temp).sort()).toEqual([otherHost, live].sort());
    rmSync(join(store.root, ".."), { recursive: true, force: true });
  });

  it("refuses keys inside its temp folder", async () => {
    // prepare
    const store = freshStore();

    // act / assess
    await expect(store.put(`${TEMP_DIR}/x`, "x", "text/plain")).rejects.toThrow(/invalid store key/);
  });
});
