import { sqlSegments } from "../sql/catalog.ts";

/**
 * Which relations and columns a SQL query reads, derived from its text. Athena bills the Parquet
 * column chunks a query reads, so the cost model needs, per query, the columns of each relation it
 * references. The rule is deliberately simple and conservative: a column counts as read when its
 * name occurs as an identifier anywhere in the query (comments and string literals removed). A name
 * that occurs only as an alias of something else therefore still counts, so the result is an upper
 * bound of what Trino reads. Star projections (`SELECT *`, `r.*`) inside CTEs are not expanded:
 * Trino prunes the columns a query never uses, and our queries name every column they use.
 */

/** The SQL text with comments and string literals replaced by a space; quoted identifiers unquoted. */
export function stripSql(sql: string): string {
  return sqlSegments(sql)
    .map((s) => {
      if (s.kind === "code") return s.text;
      if (s.kind === "identifier") return ` ${s.text.slice(1, -1).replaceAll('""', '"')} `;
      return " ";
    })
    .join("");
}

/** Every identifier-like word of the query (lower case), outside comments and string literals. */
export function identifiers(sql: string): Set<string> {
  const words = stripSql(sql).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return new Set(words.map((w) => w.toLowerCase()));
}

/** The columns of a relation that the query names, in the relation's column order. */
export function referencedColumns(sql: string, columns: readonly string[]): string[] {
  const words = identifiers(sql);
  return columns.filter((c) => words.has(c.toLowerCase()));
}

/** Names the query defines in its WITH clause (`name AS (` or `name (cols) AS (`). */
export function cteNames(sql: string): Set<string> {
  const names = new Set<string>();
  for (const m of stripSql(sql).matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*(?:\([^()]*\)\s*)?AS\s*\(/gi)) {
    names.add((m[1] as string).toLowerCase());
  }
  return names;
}

/**
 * The relations among `candidates` that the query reads: names following FROM or JOIN (optionally
 * schema-qualified) that the query does not define itself as a CTE (a CTE named like a table
 * shadows it).
 */
export function relationsRead(sql: string, candidates: readonly string[]): string[] {
  const text = stripSql(sql);
  const ctes = cteNames(text);
  const read = new Set<string>();
  for (const m of text.matchAll(
    /\b(?:from|join)\s+(?:[A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)/gi,
  )) {
    const name = (m[1] as string).toLowerCase();
    if (!ctes.has(name)) read.add(name);
  }
  return candidates.filter((c) => read.has(c.toLowerCase()));
}
