import { stringify } from "csv-stringify/sync";
import type { Finding, FindingsDocument } from "../findings/model.ts";
import { csvCell, truncate } from "./safe.ts";

/** Columns of findings.csv, in order. Member rows fill only the identifying columns. */
export const CSV_COLUMNS = [
  "row_type",
  "run_id",
  "finding_id",
  "kind",
  "severity",
  "score",
  "subject",
  "account_id",
  "title",
  "why",
  "accounts",
  "requests",
  "input_tokens",
  "output_tokens",
  "first_seen",
  "last_seen",
  "signals",
  "links",
  "top_skeletons",
  "recommended_action",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

// Spreadsheets cap a cell at 32,767 characters; long attacker text is cut well before that.
const MAX_CELL = 2000;

function cell(value: string | number | null): string {
  if (value === null) return "";
  return csvCell(truncate(String(value), MAX_CELL));
}

function findingRow(runId: string, f: Finding): Record<CsvColumn, string> {
  const e = f.evidence;
  const raw: Record<CsvColumn, string | number | null> = {
    row_type: "finding",
    run_id: runId,
    finding_id: f.id,
    kind: f.kind,
    severity: f.severity,
    score: f.score.toFixed(4),
    subject: f.subject,
    account_id: f.kind === "account" ? (f.accounts[0] ?? null) : null,
    title: f.title,
    why: f.why,
    accounts: f.accounts.length,
    requests: e.requests,
    input_tokens: e.input_tokens,
    output_tokens: e.output_tokens,
    first_seen: e.first_seen,
    last_seen: e.last_seen,
    signals: f.signals
      .filter((s) => s.fired)
      .map((s) => `${s.detector}/${s.name}=${s.contribution.toFixed(3)}`)
      .join("; "),
    links: f.links.map((l) => `${l.trait}:${l.value} (${l.accounts} accounts)`).join("; "),
    top_skeletons: e.top_skeletons.map((s) => `${s.hash} (${s.requests} requests)`).join("; "),
    recommended_action: f.recommended_action,
  };
  return mapCells(raw);
}

/** One row per account of a cluster, so a spreadsheet can filter or join on account_id. */
function memberRows(runId: string, f: Finding): Record<CsvColumn, string>[] {
  return f.accounts.map((account) =>
    mapCells({
      ...Object.fromEntries(CSV_COLUMNS.map((c) => [c, null])),
      row_type: "cluster_member",
      run_id: runId,
      finding_id: f.id,
      kind: f.kind,
      severity: f.severity,
      score: f.score.toFixed(4),
      subject: f.subject,
      account_id: account,
    } as Record<CsvColumn, string | number | null>),
  );
}

function mapCells(raw: Record<CsvColumn, string | number | null>): Record<CsvColumn, string> {
  return Object.fromEntries(CSV_COLUMNS.map((c) => [c, cell(raw[c])])) as Record<CsvColumn, string>;
}

/**
 * findings.csv: one row per finding, followed for clusters by one row per member account. Every
 * cell passes through csvCell (formula neutralization); a UTF-8 BOM and CRLF row ends make Excel
 * read it as UTF-8 text.
 */
export function renderCsv(document: FindingsDocument): string {
  const runId = document.run.run_id;
  const rows = document.findings.flatMap((f) => [
    findingRow(runId, f),
    ...(f.kind === "cluster" ? memberRows(runId, f) : []),
  ]);
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    bom: true,
    record_delimiter: "windows",
    // Quoting every text cell keeps embedded CR/LF and delimiters unambiguous in every reader.
    quoted_string: true,
  });
}
