/**
 * Output safety. Prompts, user agents and even account ids are attacker-controlled text; every
 * renderer passes them through exactly one of these functions for its medium.
 */

// ANSI/VT escape sequences (CSI, OSC, and two-character escapes) and C0/C1 control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// CSV keeps tab, LF and CR inside (quoted) cells.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CSV_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Embeddings, overrides and isolates, plus the implicit marks (LRM, RLM, ALM): text that reorders
// what follows it is how a reader is shown something other than what is there ("trojan source").
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// A surrogate half without its partner is not text: UTF-8 cannot encode it and encoders replace it
// inconsistently, so renderers replace it themselves.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LINE_BREAKS = /[\r\n\t\u2028\u2029]+/g;

/** Replaces unpaired UTF-16 surrogates with U+FFFD, so the text encodes to valid UTF-8. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}

/**
 * Multi-line text for a terminal or a plain-text body: drops escape sequences, control characters
 * and bidi controls, keeping only \n and \t.
 */
export function terminalText(text: string): string {
  return wellFormed(text).replace(ANSI_SEQUENCE, "").replace(CONTROL, "").replace(BIDI_CONTROLS, "");
}

/**
 * One field printed on a terminal line: as terminalText, and line breaks become spaces, so that a
 * value cannot start a line of its own and pass for output of the tool ("a\nSubject: ...").
 */
export function terminalSafe(text: string): string {
  return terminalText(wellFormed(text).replace(/[\r\n\u2028\u2029]+/g, " "));
}

/** One line of plain text (e-mail subject, log field): no line break, tab or control character. */
export function singleLine(text: string): string {
  // Line breaks become spaces before the control characters go, so "a\r\nb" reads "a b", not "ab".
  return terminalText(wellFormed(text).replace(LINE_BREAKS, " "));
}

/** Truncates to at most `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  // UTF-16 length bounds the code-point count, so short text returns at once; long text (a 100k
  // user agent) is walked only as far as the cut, never copied whole.
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 1);
  let points = 0;
  let index = 0;
  let cut = 0;
  for (const ch of text) {
    if (points === keep) cut = index;
    points += 1;
    index += ch.length;
    if (points > max) return `${text.slice(0, cut)}…`;
  }
  return text;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** For HTML text and attribute values (always quoted). Control characters are dropped first. */
export function htmlEscape(text: string): string {
  return terminalText(text).replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] as string);
}

/**
 * For spreadsheet cells: a cell starting with =, +, -, @, tab or CR is a formula to Excel and
 * LibreOffice, so it is prefixed with an apostrophe. Control characters other than tab, CR and LF
 * and bidi controls are dropped first, so that they cannot hide a leading formula character.
 */
export function csvCell(text: string): string {
  const clean = wellFormed(text)
    .replace(ANSI_SEQUENCE, "")
    .replace(CSV_CONTROL, "")
    .replace(BIDI_CONTROLS, "");
  return /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
}
