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
const CSV_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const BIDI_OVERRIDES = /[\u202a-\u202e\u2066-\u2069]/g;

/** For terminals: drops escape sequences, control characters and bidi overrides (keeps \n and \t). */
export function terminalSafe(text: string): string {
  return text.replace(ANSI_SEQUENCE, "").replace(CONTROL, "").replace(BIDI_OVERRIDES, "");
}

/** One line of plain text (e-mail subject, log field): no CR/LF or other control characters. */
export function singleLine(text: string): string {
  return terminalSafe(text).replace(/[\r\n\t]+/g, " ");
}

/** Truncates to at most `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
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
  return terminalSafe(text).replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] as string);
}

/**
 * For spreadsheet cells: a cell starting with =, +, -, @, tab or CR is a formula to Excel and
 * LibreOffice, so it is prefixed with an apostrophe. Control characters other than tab are dropped.
 */
export function csvCell(text: string): string {
  const clean = text.replace(ANSI_SEQUENCE, "").replace(CSV_CONTROL, "");
  return /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
}
