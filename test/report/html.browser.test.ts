import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config.ts";
import type { FindingsDocument } from "../../lib/findings/model.ts";
import { publishAudit } from "../../lib/report/publish.ts";
import { FsReportStore } from "../../lib/store/fs.ts";
import {
  auditOutcome,
  hostileDocument,
  PAYLOADS,
  RecordingNotifier,
  sampleDocument,
  UNSAFE_TEXT,
} from "../support/findings.ts";

/**
 * report.html in a real browser (Debian `chromium`, installed by .ci/run): it renders, logs no
 * error, runs no injected script, fetches nothing, and leaves a screenshot to look at.
 */
const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI) && process.env.CI !== "false";
const SCREENSHOT = resolve("test-results/report.png");

if (!present && !inCi) {
  console.warn(
    `skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium; CI fails instead)`,
  );
}

// The project compiles without the DOM library; these are the few browser shapes the page
// functions below touch (they run in Chromium, not in Node).
interface PageElement {
  readonly attributes: Iterable<{ readonly name: string; readonly value: string }>;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  __pwned: string[];
  alert: (message?: unknown) => void;
  document: {
    querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
    readonly documentElement: { readonly scrollWidth: number };
    readonly body: { readonly innerText: string };
  };
}

async function publishedReport(document: FindingsDocument): Promise<string> {
  const store = new FsReportStore(mkdtempSync(join(tmpdir(), "distill-html-")));
  const result = await publishAudit(auditOutcome(document), parseConfig({}), {
    store,
    notifier: new RecordingNotifier(),
  });
  return store.locate(`${result.reportPrefix}/report.html`);
}

interface Observed {
  readonly problems: string[];
  readonly dialogs: string[];
  readonly requests: string[];
}

/** Opens a file with traps installed: console errors, page errors, dialogs and network requests. */
async function open(
  browser: Browser,
  path: string,
  javaScriptEnabled = true,
): Promise<{ page: Page } & Observed> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  const observed: Observed = { problems: [], dialogs: [], requests: [] };
  // Runs before any page script (and despite the page's CSP): a payload that runs would be caught here.
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__pwned = [];
    w.alert = (m?: unknown) => {
      w.__pwned.push(String(m));
    };
  });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") observed.problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => observed.problems.push(`pageerror: ${e.message}`));
  page.on("dialog", async (d) => {
    observed.dialogs.push(d.message());
    await d.dismiss();
  });
  const url = pathToFileURL(path).href;
  page.on("request", (r) => {
    if (r.url() !== url) observed.requests.push(r.url());
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, ...observed };
}

describe.skipIf(!present && !inCi)("report.html in headless Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`,
    ).toBe(true);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("renders a realistic run without errors and leaves a screenshot in test-results/report.png", async () => {
    // prepare
    const path = await publishedReport(sampleDocument());
    mkdirSync(resolve("test-results"), { recursive: true });

    // act
    const { page, problems, dialogs, requests } = await open(browser, path, false);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // assess
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator("h1").textContent()).toBe("Distillation audit");
    expect(await page.locator("article.finding").count()).toBe(7);
    expect(await page.locator("svg.chart path").count()).toBe(12);
    const box = await page.locator("svg.chart").boundingBox();
    expect(box?.width).toBeGreaterThan(800);
    expect(box?.height).toBeGreaterThan(200);
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(1280);
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
  });

  it("runs none of the injected payloads and shows them as text", async () => {
    // prepare
    const path = await publishedReport(hostileDocument());

    // act
    const { page, problems, dialogs, requests } = await open(browser, path);

    // assess
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toEqual([]);
    const dom = await page.evaluate(() => {
      const document = (globalThis as unknown as PageGlobals).document;
      const all = [...document.querySelectorAll("*")];
      return {
        scripts: document.querySelectorAll("script, iframe, object, embed, img, link").length,
        handlers: all.flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith("on")),
        // Only URL-bearing attributes can navigate; a title reading "javascript:..." is just text.
        jsUrls: all
          .flatMap((e) => [...e.attributes])
          .filter((a) => /^(href|src|action|formaction|xlink:href|data|poster|srcset)$/i.test(a.name))
          .map((a) => a.value)
          .filter((v) => !v.startsWith("#")),
        titles: all.map((e) => e.getAttribute("title")).filter((t) => t?.startsWith("javascript:")).length,
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is what a reader sees
        text: document.body.innerText,
        longestExcerpt: Math.max(
          ...[...document.querySelectorAll(".excerpt")].map((e) => e.textContent?.length ?? 0),
        ),
      };
    });
    expect(dom.scripts).toBe(0);
    expect(dom.handlers).toEqual([]);
    expect(dom.jsUrls).toEqual([]);
    expect(dom.titles).toBeGreaterThan(0); // the payload reached an attribute, as inert text
    expect(dom.text).toContain(PAYLOADS.script);
    expect(dom.text).toContain(PAYLOADS.img);
    expect(dom.text).not.toMatch(UNSAFE_TEXT);
    expect(dom.text).not.toMatch(/A{601}/); // the 100,000-character string was cut
    expect(dom.longestExcerpt).toBeLessThanOrEqual(200);
    // however long the attacker's strings, the layout holds
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(1280);
  });

  it("has traps that do catch a payload that runs (control: an unescaped page)", async () => {
    // prepare
    const path = join(mkdtempSync(join(tmpdir(), "distill-html-")), "unsafe.html");
    writeFileSync(
      path,
      `<!doctype html><title>x</title><body>${PAYLOADS.script}<img src=x onerror=alert(2)></body>`,
    );

    // act
    const { page, requests } = await open(browser, path);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__pwned.length >= 2);

    // assess
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned.sort())).toEqual([
      "1",
      "2",
    ]);
    expect(requests.some((r) => r.endsWith("/x"))).toBe(true);
  });

  it("prints to PDF", async () => {
    // prepare
    const path = await publishedReport(sampleDocument());
    const { page } = await open(browser, path);

    // act
    const pdf = await page.pdf({ format: "A4", printBackground: true });

    // assess
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
  });
});
