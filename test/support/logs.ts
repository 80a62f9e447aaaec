import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { AccountRecord, RequestRecord } from "../../lib/schema/log-schema.ts";

let sequence = 0;

/** A valid request; tests override what they are about. */
export function request(
  overrides: Partial<Record<keyof RequestRecord, unknown>> = {},
): Record<string, unknown> {
  sequence += 1;
  return {
    request_id: `req-${sequence}`,
    ts: "2026-02-16T10:00:00.000Z",
    account_id: "acct-a",
    model: "claude-sonnet-4-5-20250929",
    input_tokens: 120,
    output_tokens: 300,
    prompt: "What is a good name for a cat?",
    ...overrides,
  };
}

export function account(overrides: Partial<AccountRecord> & { account_id: string }): AccountRecord {
  return { created_at: "2024-01-01T00:00:00.000Z", account_type: "individual", ...overrides };
}

export interface LogFiles {
  /** Day (YYYY-MM-DD) → file name → lines (objects are serialised; strings are written as given). */
  readonly requests: Record<string, Record<string, readonly (Record<string, unknown> | string)[]>>;
  readonly accounts?: readonly AccountRecord[];
  /** Extra empty partition folders. */
  readonly emptyDays?: readonly string[];
}

/** Writes a log root in a fresh temp folder and returns its path. `.gz` names are gzipped. */
export function writeLogs(files: LogFiles): string {
  const root = mkdtempSync(join(tmpdir(), "distill-logs-"));
  for (const [day, byName] of Object.entries(files.requests)) {
    const dir = join(root, "requests", `dt=${day}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, lines] of Object.entries(byName)) {
      const text = `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`;
      writeFileSync(join(dir, name), name.endsWith(".gz") ? gzipSync(text) : text);
    }
  }
  for (const day of files.emptyDays ?? [])
    mkdirSync(join(root, "requests", `dt=${day}`), { recursive: true });
  if (files.accounts) {
    mkdirSync(join(root, "accounts"));
    writeFileSync(
      join(root, "accounts", "accounts.jsonl"),
      files.accounts.map((a) => JSON.stringify(a)).join("\n"),
    );
  }
  return root;
}

export const DAY = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-17T00:00:00Z") };
