import { FindingsDocument } from "../findings/model.ts";

// Characters that are harmless to a JSON parser but not to what else may read the file: `<`, `>`
// and `&` if it is ever served as HTML, U+2028/U+2029 which some line splitters treat as line
// ends (fatal to JSONL), and bidi controls which make `cat findings.json` lie. They only occur
// inside strings, where \uXXXX is the same value.
const UNSAFE_IN_JSON = /[<>&\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

function escapeUnsafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Records (maps keyed by data) get sorted keys; objects keep the schema's field order. */
function sortRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The document in canonical form: validated, unknown fields dropped, fields in schema order and
 * map keys sorted, so the same findings always serialize to the same bytes.
 */
export function canonicalDocument(document: FindingsDocument): FindingsDocument {
  const parsed = FindingsDocument.parse(document);
  return {
    ...parsed,
    data_quality: {
      ...parsed.data_quality,
      rejected: sortRecord(parsed.data_quality.rejected),
      field_coverage: sortRecord(parsed.data_quality.field_coverage),
    },
  };
}

/** findings.json: the canonical document, pretty-printed, with a final newline. */
export function renderFindingsJson(document: FindingsDocument): string {
  return `${escapeUnsafe(JSON.stringify(canonicalDocument(document), null, 2))}\n`;
}

/**
 * The history file `findings/dt=.../<run id>.jsonl`: one finding per line, each carrying the run
 * fields so that a Glue/Athena table over all runs can filter and group without a join.
 */
export function renderHistoryJsonl(document: FindingsDocument): string {
  const { run, findings } = canonicalDocument(document);
  return findings
    .map(
      (finding) =>
        `${escapeUnsafe(
          JSON.stringify({
            schema_version: document.schema_version,
            run_id: run.run_id,
            schedule: run.schedule,
            window_start: run.window_start,
            window_end: run.window_end,
            generated_at: run.generated_at,
            engine: run.engine,
            code_version: run.code_version,
            config_sha256: run.config_sha256,
            ...finding,
          }),
        )}\n`,
    )
    .join("");
}
