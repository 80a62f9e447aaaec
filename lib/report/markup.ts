import { htmlEscape } from "./safe.ts";

/**
 * Safe-by-construction HTML: `html\`...\`` escapes every interpolated string, so markup can only
 * come from template literals in this code base, never from data. Numbers must be finite.
 */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (part === null || part === undefined || part === false || part === true) return "";
  if (typeof part === "number") {
    if (!Number.isFinite(part)) throw new Error(`non-finite number in HTML: ${part}`);
    return String(part);
  }
  if (typeof part === "string") return htmlEscape(part);
  return part.map(render).join("");
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < parts.length; i += 1) out += render(parts[i] as Part) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Joins fragments without a separator; an empty list renders nothing. */
export function join(parts: readonly Part[]): Html {
  return new Html(parts.map(render).join(""));
}

/** A number rounded for an SVG coordinate or a CSS length: short, finite, locale-free. */
export function n(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return 0;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
