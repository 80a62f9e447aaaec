import { describe, expect, it } from "vitest";
import {
  csvCell,
  htmlEscape,
  singleLine,
  terminalSafe,
  terminalText,
  truncate,
  wellFormed,
} from "../../lib/report/safe.ts";
import { PAYLOADS } from "../support/findings.ts";

describe("terminalText", () => {
  it("drops CSI and OSC escape sequences, control characters and bidi controls, keeping newlines and tabs", () => {
    // act
    const out = terminalText(`${PAYLOADS.ansi} a\u0000b\u0085c\u202ed\u2066e\u200ff\r\n\tg`);

    // assess
    expect(out).toBe("red abcdef\n\tg");
  });

  it("replaces lone surrogates and keeps paired ones", () => {
    // act / assess
    expect(terminalText("a\ud800b\udc00c😀")).toBe("a\ufffdb\ufffdc😀");
    expect(wellFormed("😀")).toBe("😀");
  });
});

describe("terminalSafe", () => {
  it("keeps a field on its line: line breaks become spaces, escapes go", () => {
    // act / assess
    expect(terminalSafe(PAYLOADS.crlf)).toBe("a Subject: injected");
    expect(terminalSafe(`x\u2028y\n${PAYLOADS.ansi}\tz`)).toBe("x y red\tz");
  });
});

describe("singleLine", () => {
  it("turns CR, LF, tabs and Unicode line separators into spaces", () => {
    // act / assess
    expect(singleLine(PAYLOADS.crlf)).toBe("a Subject: injected");
    expect(singleLine("a\u2028b\u2029c\r\rd\te")).toBe("a b c d e");
    expect(singleLine(PAYLOADS.ansi)).toBe("red");
  });
});

describe("truncate", () => {
  it("cuts at a code-point count and marks the cut", () => {
    // act / assess
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("😀😀😀", 2)).toBe("😀…");
    expect(Array.from(truncate(PAYLOADS.long, 200))).toHaveLength(200);
  });
});

describe("htmlEscape", () => {
  it("escapes markup and quote characters so text cannot open a tag or leave an attribute", () => {
    // act / assess
    expect(htmlEscape(PAYLOADS.script)).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(htmlEscape(PAYLOADS.attr)).toBe("&quot; onmouseover=&quot;x");
    expect(htmlEscape("it's `x` & y")).toBe("it&#39;s &#96;x&#96; &amp; y");
    expect(htmlEscape(`${PAYLOADS.ansi}${PAYLOADS.bidi}`)).toBe("redabcgnp.exe");
  });
});

describe("csvCell", () => {
  it.each([
    [PAYLOADS.hyperlink, `'=HYPERLINK("http://evil")`],
    [PAYLOADS.plus, "'+1"],
    [PAYLOADS.minus, "'-2+3"],
    [PAYLOADS.at, "'@SUM(A1)"],
    [PAYLOADS.tab, "'\tfoo"],
    [PAYLOADS.cr, "'\rbar"],
    ["plain text", "plain text"],
    ["a=b", "a=b"],
  ])("neutralizes %j", (input, expected) => {
    // act / assess
    expect(csvCell(input)).toBe(expected);
  });

  it("finds a formula hidden behind escape sequences, control or bidi characters", () => {
    // act / assess
    expect(csvCell("\u001b[0m=1+1")).toBe("'=1+1");
    expect(csvCell("\u0000=1+1")).toBe("'=1+1");
    expect(csvCell("\u202e=1+1")).toBe("'=1+1");
  });

  it("drops control characters but keeps line breaks inside the cell", () => {
    // act / assess
    expect(csvCell("a\u0007b\r\nc\u0085d\ud800")).toBe("ab\r\ncd\ufffd");
  });
});
