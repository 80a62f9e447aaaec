import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleNotifier, OutboxNotifier } from "../../lib/notify/outbox.ts";
import type { Digest } from "../../lib/notify/port.ts";
import { ALL_PAYLOADS, PAYLOADS, UNSAFE_TEXT } from "../support/findings.ts";

const DIGEST: Digest = {
  subject: "[distill-audit] HIGH: 3 new findings (1 cluster, 212 accounts) 2026-02-23",
  body: "distill-audit run daily\nFull report: /tmp/report.html\n",
  attributes: { highest_severity: "high", severity_rank: 3, new_findings: 3, accounts: 212 },
};

/** Splits an .eml into header lines and body at the first empty line. */
function parseEml(text: string): { headers: string[]; body: string } {
  const cut = text.indexOf("\r\n\r\n");
  return { headers: text.slice(0, cut).split("\r\n"), body: text.slice(cut + 4) };
}

describe("OutboxNotifier", () => {
  it("writes one .eml file per digest with subject, date, attributes and body", async () => {
    // prepare
    const dir = join(mkdtempSync(join(tmpdir(), "distill-outbox-")), "outbox");
    const notifier = new OutboxNotifier(dir, () => new Date("2026-02-24T06:00:00Z"));

    // act
    const first = await notifier.publish(DIGEST);
    const second = await notifier.publish(DIGEST);

    // assess
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.startsWith("20260224T060000Z-") && f.endsWith(".eml"))).toBe(true);
    expect(first.messageId).not.toBe(second.messageId);
    expect(notifier.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(files);
    const { headers, body } = parseEml(readFileSync(join(dir, files[0] as string), "utf8"));
    expect(headers).toContain(`Subject: ${DIGEST.subject}`);
    expect(headers).toContain("Date: Tue, 24 Feb 2026 06:00:00 +0000");
    expect(headers).toContain("X-Attribute-highest_severity: high");
    expect(headers).toContain("X-Attribute-severity_rank: 3");
    expect(headers).toContain("Content-Type: text/plain; charset=utf-8");
    expect(body).toBe("distill-audit run daily\r\nFull report: /tmp/report.html\r\n\r\n");
  });

  it("keeps hostile subjects, attributes and bodies from adding headers or escape sequences", async () => {
    // prepare
    const dir = mkdtempSync(join(tmpdir(), "distill-outbox-"));
    const notifier = new OutboxNotifier(dir);
    const hostile: Digest = {
      subject: `${PAYLOADS.crlf} ${ALL_PAYLOADS}`,
      body: `${ALL_PAYLOADS}\n\nBcc: victim@example.com`,
      attributes: { "x\r\nBcc: a@b.c": PAYLOADS.crlf, ok: PAYLOADS.long },
    };

    // act
    await notifier.publish(hostile);

    // assess
    const text = readFileSync(notifier.files[0] as string, "utf8");
    const { headers, body } = parseEml(text);
    const names = headers.map((h) => h.slice(0, h.indexOf(":")));
    expect(names).toEqual([
      "Message-ID",
      "Date",
      "From",
      "Subject",
      "MIME-Version",
      "Content-Type",
      "Content-Transfer-Encoding",
      "X-Attribute-x-Bcc-a-b-c",
      "X-Attribute-ok",
    ]);
    expect(headers.every((h) => h.length <= 1000)).toBe(true);
    expect(text).not.toMatch(UNSAFE_TEXT);
    // every line break in the file is CRLF: no bare CR or LF to confuse a mail parser
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(body).toContain("Bcc: victim@example.com");
  });
});

describe("ConsoleNotifier", () => {
  it("prints the subject, attributes and an indented, escape-free body", async () => {
    // prepare
    const out = new PassThrough();
    let printed = "";
    out.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    const notifier = new ConsoleNotifier(out);

    // act
    const { messageId } = await notifier.publish({ ...DIGEST, body: `line one\n${PAYLOADS.ansi}` });

    // assess
    expect(messageId).toMatch(/^console-\d+-1$/);
    expect(printed).toContain(`alert: ${DIGEST.subject}`);
    expect(printed).toContain("highest_severity=high severity_rank=3");
    expect(printed).toContain("  │ line one\n  │ red");
    expect(printed).not.toMatch(UNSAFE_TEXT);
  });
});
