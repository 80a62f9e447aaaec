/** Ground-truth labels: one JSON object per account, kept outside the logs. */
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import type { Account } from "./core.ts";

export interface AccountLabel {
  account_id: string;
  kind: "benign" | "campaign";
  archetype: string;
  campaign?: string;
  hard_negative: boolean;
  requests: number;
}

export function labelOf(a: Account): AccountLabel {
  const l: AccountLabel = {
    account_id: a.id,
    kind: a.label.kind,
    archetype: a.label.archetype,
    hard_negative: a.label.hardNegative,
    requests: a.requests,
  };
  if (a.label.campaign !== undefined) {
    return {
      account_id: l.account_id,
      kind: l.kind,
      archetype: l.archetype,
      campaign: a.label.campaign,
      hard_negative: l.hard_negative,
      requests: l.requests,
    };
  }
  return l;
}

function parseLabel(line: string, where: string): AccountLabel {
  const o = JSON.parse(line) as Partial<AccountLabel>;
  if (
    typeof o.account_id !== "string" ||
    (o.kind !== "benign" && o.kind !== "campaign") ||
    typeof o.archetype !== "string"
  ) {
    throw new Error(`bad label at ${where}`);
  }
  const l: AccountLabel = {
    account_id: o.account_id,
    kind: o.kind,
    archetype: o.archetype,
    hard_negative: o.hard_negative === true,
    requests: typeof o.requests === "number" ? o.requests : 0,
  };
  if (typeof o.campaign === "string") l.campaign = o.campaign;
  return l;
}

/** Reads a labels.jsonl (or .jsonl.gz) file into a map keyed by account id. */
export async function readLabels(path: string): Promise<Map<string, AccountLabel>> {
  const buf = await readFile(path);
  const text = path.endsWith(".gz") ? gunzipSync(buf).toString("utf8") : buf.toString("utf8");
  const out = new Map<string, AccountLabel>();
  let n = 0;
  for (const line of text.split("\n")) {
    n++;
    if (line.trim() === "") continue;
    const l = parseLabel(line, `${path}:${n}`);
    out.set(l.account_id, l);
  }
  return out;
}
