import type { ResolvedModel } from "../config/catalogue.ts";
import type { AuditConfig } from "../config/config.ts";

/**
 * Small helpers the account detectors share: numbers as an analyst reads them in a signal's
 * explanation, and model caps as explanations name them.
 */

/** 41200 → "41,200" (fixed locale, so explanations and tests do not depend on the machine). */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** 0.9234 → "92%"; shares above 99% keep a decimal so "99.6% unique" is not rounded to "100%". */
export function pct(share: number): string {
  const p = share * 100;
  if (p > 99 && p < 100) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** Share with a guard for empty denominators. */
export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** A model's cap as an explanation shows it, marked when it was inferred from the traffic. */
export function capLabel(model: ResolvedModel, cap: number): string {
  return `${model.id} ${count(cap)}${model.source === "traffic" ? " (inferred from traffic)" : ""}`;
}

/** Rows of a query grouped by account, keeping the order in which accounts first appear. */
export function byAccount<R extends { account_id: string }>(rows: readonly R[]): Map<string, R[]> {
  const grouped = new Map<string, R[]>();
  for (const row of rows) {
    const list = grouped.get(row.account_id) ?? [];
    list.push(row);
    grouped.set(row.account_id, list);
  }
  return grouped;
}

/** A skeleton hash as evidence shows it (16 hex digits), from the signed decimal text SQL returns. */
export function skeletonHex(decimal: string | number): string {
  return BigInt.asUintN(64, BigInt(decimal)).toString(16).padStart(16, "0");
}

/**
 * The allowlisted skeletons (configured as hex, as evidence shows them) in the signed decimal form
 * `CAST(skeleton_hash AS varchar)` takes in SQL, so queries can drop them with `contains`.
 */
export function allowlistedSkeletons(config: AuditConfig): string[] {
  return config.allowlist.skeletons.map((hex) => BigInt.asIntN(64, BigInt(`0x${hex}`)).toString());
}
