import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { printSummary } from "../../lib/cli/summary.ts";
import { parseConfig } from "../../lib/config/config.ts";
import { OutboxNotifier } from "../../lib/notify/outbox.ts";
import { type PublishResult, publishAudit } from "../../lib/report/publish.ts";
import { FsReportStore } from "../../lib/store/fs.ts";
import { auditOutcome, hostileDocument, PAYLOADS, UNSAFE_TEXT } from "../support/findings.ts";

/**
 * The payload corpus (script tags, event handlers, javascript: URLs, CSV formulas, ANSI escapes,
 * CRLF, a 100,000-character string, lone surrogates, bidi overrides) sits in account ids, user
 * agents, template excerpts, explanations and detector output; every output must neutralize it.
 */

// Each output cuts long text (the HTML at 600 characters, CSV cells at 2,000): the 100k string never passes.
const LONG_RUN = /A{2001}/;

/** Every attribute of every tag, as [name, value]; values are quoted, so a `>` in one is not a tag end. */
function attributesOf(page: string): [string, string][] {
  const out: [string, string][] = [];
  for (const tag of page.matchAll(
    /<[a-zA-Z][^\s/>]*((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g,
  )) {
    for (const a of (tag[1] ?? "").matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
      out.push([(a[1] as string).toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ""]);
    }
  }
  return out;
}

let store: FsReportStore;
let outbox: OutboxNotifier;
let result: PublishResult;
const read = (name: string): string => readFileSync(store.locate(`${result.reportPrefix}/${name}`), "utf8");

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "distill-payloads-"));
  store = new FsReportStore(join(root, "store"));
  outbox = new OutboxNotifier(join(root, "outbox"));
  result = await publishAudit(auditOutcome(hostileDocument()), parseConfig({}), { store, notifier: outbox });
});

describe("hostile findings in every output", () => {
  it("report.html: no markup, event handler or javascript: URL survives; text is clean and bounded", () => {
    // act (the stylesheet is the renderer's own text; what matters is the markup around the data)
    const page = read("report.html").replace(/<style>[^<]*<\/style>/, "<style></style>");

    // assess: the only tags are the renderer's own
    const tags = new Set(
      [...page.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => (m[1] as string).toLowerCase()),
    );
    const allowed =
      "html head meta title style body header div svg rect circle path dl dt dd h1 h2 h3 h4 p main section span b a table thead tbody tr th td article code ol li details summary footer g line text strong";
    expect([...tags].filter((t) => !allowed.split(" ").includes(t))).toEqual([]);
    const attributes = attributesOf(page);
    expect(attributes.length).toBeGreaterThan(100);
    expect(attributes.filter(([name]) => name.startsWith("on"))).toEqual([]);
    const urls = attributes.filter(([name]) => /^(href|src|action|formaction|xlink:href)$/.test(name));
    expect(urls.filter(([, value]) => !value.startsWith("#"))).toEqual([]);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&quot; onmouseover=&quot;x");
    expect(page).not.toMatch(UNSAFE_TEXT);
    expect(page).not.toMatch(/A{601}/);
  });

  it("findings.csv: parses cleanly, no cell starts a formula, no control characters", () => {
    // act
    const rows = parse(read("findings.csv"), { columns: true, bom: true }) as Record<string, string>[];

    // assess
    expect(rows.length).toBeGreaterThan(16);
    for (const value of rows.flatMap((r) => Object.values(r))) {
      expect(value).not.toMatch(/^[=+\-@\t\r]/);
      expect(value).not.toMatch(UNSAFE_TEXT);
      expect(value).not.toMatch(LONG_RUN);
    }
  });

  it("summary.txt and the e-mail: clean, bounded, no excerpt text, no injected line", () => {
    // act
    const summary = read("summary.txt");
    const eml = readFileSync(outbox.files[0] as string, "utf8");
    const body = eml.slice(eml.indexOf("\r\n\r\n") + 4);

    // assess
    for (const text of [summary, body]) {
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8200);
      expect(text).not.toMatch(UNSAFE_TEXT);
      expect(text).not.toMatch(LONG_RUN);
      expect(text).not.toMatch(/^Subject: injected/m);
      expect(text).not.toContain("Solve step by step");
      expect(text).toContain("… and ");
    }
    expect(summary).not.toMatch(/\r/);
    expect(eml.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("the digest subject: at most 100 characters, one line, counts only", () => {
    // act
    const subject = result.digest?.subject ?? "";
    const headers =
      readFileSync(outbox.files[0] as string, "utf8")
        .split("\r\n\r\n")[0]
        ?.split("\r\n") ?? [];

    // assess
    expect(subject).toMatch(
      /^\[distill-audit\] CRITICAL: 16 new findings \(1 cluster, \d+ accounts\) 2026-02-17$/,
    );
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(headers).toContain(`Subject: ${subject}`);
    expect(headers.filter((h) => /^subject:/i.test(h))).toHaveLength(1);
  });

  it("findings.json and the history keep the data but escape what could mislead a reader", () => {
    // act
    const json = read("findings.json");
    const history = readFileSync(store.locate(result.keys[4] as string), "utf8");

    // assess
    for (const text of [json, history]) {
      expect(text).not.toMatch(/[<>\u2028\u2029]/);
      expect(text).not.toMatch(UNSAFE_TEXT);
    }
    expect(JSON.parse(json).findings[0].title).toBe(PAYLOADS.script);
  });

  it("the terminal summary: no escape sequence, control character or spoofed line", () => {
    // prepare
    let printed = "";
    const out = { write: (chunk: string) => (printed += chunk) } as unknown as NodeJS.WriteStream;

    // act
    printSummary(hostileDocument(), store.locate(`${result.reportPrefix}/report.html`), out);

    // assess
    expect(printed).not.toMatch(UNSAFE_TEXT);
    expect(printed).not.toMatch(/\r/);
    expect(printed).not.toMatch(/^Subject: injected/m);
    expect(printed).not.toMatch(LONG_RUN);
    expect(printed).toContain("<script>alert(1)</script>"); // shown, as inert text
  });
});
