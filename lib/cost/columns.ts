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
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      const end = nl === -1 ? sql.length : nl;
      out += " ";
      i = end;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      const end = close === -1 ? sql.length : close + 2;
      out += " ";
      i = end;
    } else if (ch === "'") {
      // A string literal; '' inside it is an escaped quote.
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += " ";
      i = j + 1;
    } else if (ch === '"') {
      // A quoted identifier: keep its name, drop the quotes.
      const close = sql.indexOf('"', i + 1);
      const end = close === -1 ? sql.length : close;
      out += ` ${sql.slice(i + 1, end)} `;
      i = end + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
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
