import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The catalogue of Trino-dialect SQL files. Each file starts with a header:
 *
 *   -- query: detector_volume
 *   -- params: dt_start, dt_end, window_start, window_end
 *
 * `params` names, in order, the value each positional `?` takes (a name may repeat), because
 * Athena's ExecutionParameters and DuckDB's prepared statements are both positional.
 *
 * Two optional header lines share an aggregate between queries:
 *
 *   -- relation: frame_usage        (in the file that defines it, over the audit window)
 *   -- uses: frame_usage            (in each query that reads it as a table)
 *
 * Both engines build a shared relation once per audit: DuckDB as a table, Athena by UNLOAD into a
 * table of its own (lib/engine/athena/shared.ts); each query that uses it on Athena reads it
 * through a WITH clause (withSharedRelations).
 */
export interface SqlQuery {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly params: readonly string[];
  readonly sha256: string;
  /** Set when the file defines a shared relation of that name. */
  readonly relation?: string;
  /** The shared relations the query reads. */
  readonly uses: readonly string[];
}

/** Shared queries (the feature stage, data quality) and the local-only DuckDB reader SQL. */
export const SQL_DIR = fileURLToPath(new URL(".", import.meta.url));
/** Each detector keeps its query beside its code: lib/detectors/<name>/<name>.sql. */
export const DETECTORS_DIR = fileURLToPath(new URL("../detectors/", import.meta.url));

/**
 * Folders holding the Trino queries. A Lambda bundle has no source tree: the CDK bundling step
 * copies every query into one folder and names it in DISTILL_AUDIT_SQL_DIR.
 */
export function sqlDirs(): string[] {
  const bundled = process.env.DISTILL_AUDIT_SQL_DIR;
  if (bundled) return [bundled];
  const detectorDirs = existsSync(DETECTORS_DIR)
    ? readdirSync(DETECTORS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(DETECTORS_DIR, d.name))
    : [];
  return [SQL_DIR, ...detectorDirs];
}

export class SqlCatalogError extends Error {}

/** A piece of SQL text: code, a string literal, a quoted identifier or a comment. */
export interface SqlSegment {
  readonly kind: "code" | "string" | "identifier" | "comment";
  /** The segment as written: quotes, comment markers and doubled quotes included. */
  readonly text: string;
  readonly start: number;
}

/**
 * Splits SQL into code, string literals ('...', '' inside), quoted identifiers ("...", "" inside)
 * and comments (-- to the end of the line, the newline left to the code; block comments). Every
 * scanner of our SQL (placeholders, shared-relation splicing, the cost model's columns) reads it
 * through these segments, so none of them can see a `?` or a column name inside a literal.
 */
export function sqlSegments(sql: string): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let code = 0;
  let i = 0;
  const push = (kind: SqlSegment["kind"], end: number): void => {
    if (code < i) segments.push({ kind: "code", text: sql.slice(code, i), start: code });
    segments.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
    code = end;
  };
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      push(ch === "'" ? "string" : "identifier", closingQuote(sql, i, ch) + 1);
    } else if (sql.startsWith("--", i)) {
      const nl = sql.indexOf("\n", i);
      push("comment", nl === -1 ? sql.length : nl);
    } else if (sql.startsWith("/*", i)) {
      const close = sql.indexOf("*/", i + 2);
      push("comment", close === -1 ? sql.length : close + 2);
    } else {
      i++;
    }
  }
  if (code < sql.length) segments.push({ kind: "code", text: sql.slice(code), start: code });
  return segments;
}

/** Counts `?` placeholders outside string literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  return sqlSegments(sql)
    .filter((s) => s.kind === "code")
    .reduce((n, s) => n + (s.text.match(/\?/g)?.length ?? 0), 0);
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  throw new SqlCatalogError(`unterminated ${quote} quote starting at offset ${start}`);
}

export function parseSqlFile(file: string, text: string): SqlQuery {
  const header = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^--\s*(\w+):\s*(.*)$/.exec(line.trim());
    if (!m) break;
    header.set(m[1] as string, (m[2] as string).trim());
  }
  const name = header.get("query");
  if (!name) throw new SqlCatalogError(`${file}: missing "-- query: <name>" header`);
  const paramsLine = header.get("params") ?? "";
  const params = paramsLine === "" ? [] : paramsLine.split(",").map((p) => p.trim());
  const placeholders = countPlaceholders(text);
  if (placeholders !== params.length) {
    throw new SqlCatalogError(
      `${file}: header names ${params.length} params but the SQL has ${placeholders} placeholders`,
    );
  }
  const sha256 = createHash("sha256").update(text).digest("hex");
  const relation = header.get("relation");
  const usesLine = header.get("uses") ?? "";
  const uses = usesLine === "" ? [] : usesLine.split(",").map((u) => u.trim());
  return { name, file, text, params, sha256, uses, ...(relation ? { relation } : {}) };
}

let cached: Map<string, SqlQuery> | undefined;

/** All Trino queries by name, read once per process. */
export function sqlCatalog(): Map<string, SqlQuery> {
  if (cached) return cached;
  const queries = new Map<string, SqlQuery>();
  for (const dir of sqlDirs()) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql"))) {
      const query = parseSqlFile(join(dir, file), readFileSync(join(dir, file), "utf8"));
      if (queries.has(query.name)) throw new SqlCatalogError(`duplicate query name ${query.name} in ${file}`);
      queries.set(query.name, query);
    }
  }
  cached = queries;
  return queries;
}

export function sqlQuery(name: string): SqlQuery {
  const query = sqlCatalog().get(name);
  if (!query)
    throw new SqlCatalogError(`no SQL file declares query "${name}" (looked in ${sqlDirs().join(", ")})`);
  return query;
}

/** The query that defines a shared relation (its `-- relation:` header). */
export function sharedRelation(relation: string): SqlQuery {
  const query = [...sqlCatalog().values()].find((q) => q.relation === relation);
  if (!query) throw new SqlCatalogError(`no SQL file defines the shared relation "${relation}"`);
  return query;
}

/** Offset of the first token that is not whitespace or a comment. */
function firstToken(sql: string): number {
  for (const segment of sqlSegments(sql)) {
    if (segment.kind === "comment") continue;
    const offset = segment.kind === "code" ? segment.text.search(/\S/) : 0;
    if (offset !== -1) return segment.start + offset;
  }
  return sql.length;
}

/** What a query reads for a shared relation: the SQL that yields it and the parameters it takes. */
export interface RelationDefinition {
  readonly text: string;
  readonly params: readonly string[];
}

/**
 * The query as one self-contained statement: each shared relation it uses becomes a WITH clause
 * ahead of its own, holding what `define` gives for it (on Athena, a read of the run the audit
 * wrote), and the clauses' parameters come first.
 */
export function withSharedRelations(
  query: SqlQuery,
  define: (relation: string) => RelationDefinition,
): SqlQuery {
  if (query.uses.length === 0) return query;
  const relations = query.uses.map((relation) => ({ relation, definition: define(relation) }));
  const definitions = relations
    .map((r) => `${r.relation} AS (\n${r.definition.text.trimEnd()}\n)`)
    .join(",\n");
  const start = firstToken(query.text);
  const body = query.text.slice(start);
  const ownWith = /^WITH\s/i.exec(body);
  const text = ownWith
    ? `${query.text.slice(0, start)}WITH ${definitions},\n${body.slice(ownWith[0].length)}`
    : `${query.text.slice(0, start)}WITH ${definitions}\n${body}`;
  return {
    ...query,
    text,
    params: [...relations.flatMap((r) => r.definition.params), ...query.params],
    sha256: createHash("sha256").update(text).digest("hex"),
    uses: [],
  };
}

/** Binds named values to the file's positional placeholders. */
export function positionalValues<V>(query: SqlQuery, params: Readonly<Record<string, V>>): V[] {
  return query.params.map((name) => {
    if (!(name in params)) throw new SqlCatalogError(`query ${query.name} needs parameter "${name}"`);
    return params[name] as V;
  });
}
