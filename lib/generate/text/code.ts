/** Code snippets, error messages and repository vocabulary for developer-like prompts. */
import type { Rng } from "../rng.ts";

export type CodeLang = "python" | "typescript" | "go" | "java" | "rust" | "sql";

export const CODE_LANGS: readonly CodeLang[] = [
  "python",
  "python",
  "python",
  "typescript",
  "typescript",
  "go",
  "java",
  "rust",
  "sql",
];

const ENTITIES = [
  "user",
  "order",
  "invoice",
  "session",
  "payment",
  "product",
  "cart",
  "ticket",
  "message",
  "event",
  "account",
  "report",
  "shipment",
  "token",
  "comment",
  "job",
  "record",
  "profile",
  "subscription",
  "customer",
] as const;

const ACTIONS = [
  "parse",
  "load",
  "fetch",
  "validate",
  "merge",
  "normalize",
  "compute",
  "filter",
  "build",
  "sync",
  "render",
  "serialize",
  "group",
  "resolve",
  "retry",
  "schedule",
  "export",
  "dedupe",
  "index",
  "refresh",
] as const;

const FIELDS = [
  "id",
  "created_at",
  "status",
  "amount",
  "email",
  "name",
  "items",
  "total",
  "updated_at",
  "owner_id",
  "currency",
  "tags",
  "priority",
  "region",
  "count",
  "expires_at",
] as const;

const DIRS = [
  "src",
  "app",
  "lib",
  "pkg",
  "internal",
  "services",
  "core",
  "api",
  "utils",
  "handlers",
] as const;

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function camel(a: string, b: string): string {
  return `${a}${cap(b)}`;
}

export function entity(rng: Rng): string {
  return rng.pick(ENTITIES);
}

export function fnName(rng: Rng, lang: CodeLang): string {
  const a = rng.pick(ACTIONS);
  const e = rng.pick(ENTITIES);
  return lang === "python" || lang === "rust" || lang === "sql" ? `${a}_${e}s` : camel(a, `${e}s`);
}

export function filePath(rng: Rng, lang: CodeLang): string {
  const ext = { python: "py", typescript: "ts", go: "go", java: "java", rust: "rs", sql: "sql" }[lang];
  const name =
    lang === "java"
      ? `${cap(rng.pick(ENTITIES))}${rng.pick(["Service", "Repository", "Controller"])}`
      : `${rng.pick(ENTITIES)}_${rng.pick(["service", "utils", "models", "handler", "store"])}`;
  return `${rng.pick(DIRS)}/${rng.chance(0.5) ? `${rng.pick(ENTITIES)}s/` : ""}${name}.${ext}`;
}

export function testPath(rng: Rng, lang: CodeLang): string {
  const e = rng.pick(ENTITIES);
  switch (lang) {
    case "python":
      return `tests/test_${e}_${rng.pick(ACTIONS)}.py`;
    case "typescript":
      return `test/${e}.${rng.pick(ACTIONS)}.test.ts`;
    case "go":
      return `internal/${e}/${e}_test.go`;
    case "java":
      return `src/test/java/${cap(e)}ServiceTest.java`;
    case "rust":
      return `tests/${e}_tests.rs`;
    default:
      return `tests/${e}.sql`;
  }
}

function py(rng: Rng): string {
  const f = fnName(rng, "python");
  const e = rng.pick(ENTITIES);
  const fld = rng.pick(FIELDS);
  const fld2 = rng.pick(FIELDS);
  const n = rng.range(2, 50);
  return rng.pick([
    () =>
      `def ${f}(${e}s, limit=${n}):\n    result = []\n    for ${e} in ${e}s:\n        if ${e}.get("${fld}") is None:\n            continue\n        result.append({"${fld}": ${e}["${fld}"], "${fld2}": ${e}.get("${fld2}", 0)})\n    return sorted(result, key=lambda r: r["${fld}"])[:limit]`,
    () =>
      `class ${cap(e)}Store:\n    def __init__(self, db):\n        self.db = db\n        self._cache = {}\n\n    def get(self, ${e}_id):\n        if ${e}_id in self._cache:\n            return self._cache[${e}_id]\n        row = self.db.execute("SELECT * FROM ${e}s WHERE id = %s", (${e}_id,)).fetchone()\n        self._cache[${e}_id] = row\n        return row`,
    () =>
      `async def ${f}(session, ids):\n    tasks = [session.get(f"/api/${e}s/{i}") for i in ids]\n    responses = await asyncio.gather(*tasks)\n    return [r.json()["${fld}"] for r in responses if r.status == 200]`,
    () =>
      `import pandas as pd\n\ndf = pd.read_csv("${e}s.csv")\ndf["${fld}"] = pd.to_datetime(df["${fld}"])\nsummary = df.groupby("${fld2}").agg(total=("${rng.pick(FIELDS)}", "sum"))\nprint(summary.sort_values("total", ascending=False).head(${n}))`,
  ])();
}

function ts(rng: Rng): string {
  const f = fnName(rng, "typescript");
  const e = rng.pick(ENTITIES);
  const E = cap(e);
  const fld = rng.pick(FIELDS);
  return rng.pick([
    () =>
      `export async function ${f}(ids: string[]): Promise<${E}[]> {\n  const res = await fetch(\`/api/${e}s?ids=\${ids.join(",")}\`);\n  if (!res.ok) throw new Error(\`failed: \${res.status}\`);\n  const data = (await res.json()) as { items: ${E}[] };\n  return data.items.filter((x) => x.${fld} !== undefined);\n}`,
    () =>
      `interface ${E} {\n  id: string;\n  ${fld}: number;\n}\n\nexport function ${f}(items: ${E}[]): Map<string, ${E}> {\n  const out = new Map<string, ${E}>();\n  for (const it of items) {\n    const prev = out.get(it.id);\n    if (!prev || prev.${fld} < it.${fld}) out.set(it.id, it);\n  }\n  return out;\n}`,
    () =>
      `const [${e}s, set${E}s] = useState<${E}[]>([]);\n\nuseEffect(() => {\n  let cancelled = false;\n  load${E}s().then((rows) => {\n    if (!cancelled) set${E}s(rows);\n  });\n  return () => { cancelled = true; };\n}, [${rng.pick(FIELDS)}]);`,
  ])();
}

function go(rng: Rng): string {
  const f = cap(fnName(rng, "go"));
  const e = cap(rng.pick(ENTITIES));
  return rng.pick([
    () =>
      `func ${f}(ctx context.Context, db *sql.DB, id string) (*${e}, error) {\n\trow := db.QueryRowContext(ctx, "SELECT id, status FROM ${e.toLowerCase()}s WHERE id = $1", id)\n\tvar x ${e}\n\tif err := row.Scan(&x.ID, &x.Status); err != nil {\n\t\treturn nil, fmt.Errorf("${f}: %w", err)\n\t}\n\treturn &x, nil\n}`,
    () =>
      `func (s *Server) handle${e}(w http.ResponseWriter, r *http.Request) {\n\tvar req ${e}Request\n\tif err := json.NewDecoder(r.Body).Decode(&req); err != nil {\n\t\thttp.Error(w, err.Error(), http.StatusBadRequest)\n\t\treturn\n\t}\n\tgo s.worker.Enqueue(req)\n\tw.WriteHeader(http.StatusAccepted)\n}`,
  ])();
}

function java(rng: Rng): string {
  const e = cap(rng.pick(ENTITIES));
  const fld = cap(rng.pick(FIELDS).replace("_", ""));
  return `public List<${e}> find${e}s(String ownerId) {\n    return repository.findAll().stream()\n        .filter(x -> x.getOwnerId().equals(ownerId))\n        .sorted(Comparator.comparing(${e}::get${fld}))\n        .collect(Collectors.toList());\n}`;
}

function rust(rng: Rng): string {
  const f = fnName(rng, "rust");
  const e = cap(rng.pick(ENTITIES));
  return `pub fn ${f}(items: &[${e}]) -> HashMap<String, Vec<&${e}>> {\n    let mut out: HashMap<String, Vec<&${e}>> = HashMap::new();\n    for it in items {\n        out.entry(it.owner.clone()).or_default().push(it);\n    }\n    out\n}`;
}

function sql(rng: Rng): string {
  const e = rng.pick(ENTITIES);
  const f1 = rng.pick(FIELDS);
  const f2 = rng.pick(FIELDS);
  return `SELECT ${e}.${f1}, COUNT(*) AS n, SUM(o.${f2}) AS total\nFROM ${e}s ${e}\nLEFT JOIN orders o ON o.${e}_id = ${e}.id\nWHERE ${e}.created_at >= NOW() - INTERVAL '${rng.range(7, 90)} days'\nGROUP BY ${e}.${f1}\nHAVING COUNT(*) > ${rng.range(1, 20)}\nORDER BY total DESC;`;
}

export function codeSnippet(rng: Rng, lang: CodeLang): string {
  switch (lang) {
    case "python":
      return py(rng);
    case "typescript":
      return ts(rng);
    case "go":
      return go(rng);
    case "java":
      return java(rng);
    case "rust":
      return rust(rng);
    default:
      return sql(rng);
  }
}

export function errorMessage(rng: Rng, lang: CodeLang): string {
  const e = rng.pick(ENTITIES);
  const fld = rng.pick(FIELDS);
  switch (lang) {
    case "python":
      return rng.pick([
        `KeyError: '${fld}'`,
        `TypeError: 'NoneType' object is not subscriptable`,
        `AttributeError: '${cap(e)}' object has no attribute '${fld}'`,
        `ValueError: time data '2024-13-01' does not match format '%Y-%m-%d'`,
        `RuntimeError: Event loop is closed`,
        `psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "${e}s_pkey"`,
      ]);
    case "typescript":
      return rng.pick([
        `TypeError: Cannot read properties of undefined (reading '${fld}')`,
        `error TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.`,
        `UnhandledPromiseRejection: FetchError: request to /api/${e}s failed, reason: ECONNRESET`,
        `Error: Hydration failed because the initial UI does not match what was rendered on the server.`,
      ]);
    case "go":
      return rng.pick([
        `panic: runtime error: invalid memory address or nil pointer dereference`,
        `fatal error: all goroutines are asleep - deadlock!`,
        `sql: Scan error on column index 1, name "${fld}": converting NULL to string is unsupported`,
      ]);
    case "java":
      return rng.pick([
        `java.lang.NullPointerException: Cannot invoke "String.equals(Object)" because the return value of "${cap(e)}.getOwnerId()" is null`,
        `org.hibernate.LazyInitializationException: could not initialize proxy - no Session`,
      ]);
    case "rust":
      return rng.pick([
        `error[E0502]: cannot borrow \`out\` as mutable because it is also borrowed as immutable`,
        `error[E0308]: mismatched types: expected \`&str\`, found \`String\``,
      ]);
    default:
      return rng.pick([
        `ERROR: column "${e}.${fld}" must appear in the GROUP BY clause or be used in an aggregate function`,
        `ERROR: relation "${e}s" does not exist`,
      ]);
  }
}

export function testOutput(rng: Rng, lang: CodeLang): string {
  const failed = rng.range(0, 4);
  const passed = rng.range(8, 220);
  const t = testPath(rng, lang);
  if (failed === 0) return `${passed} passed in ${rng.float(0.4, 40).toFixed(2)}s`;
  const lines = [`FAILED ${t}::test_${rng.pick(ACTIONS)}_${rng.pick(ENTITIES)} - ${errorMessage(rng, lang)}`];
  if (failed > 1)
    lines.push(
      `FAILED ${t}::test_${rng.pick(ACTIONS)}_${rng.pick(FIELDS)} - AssertionError: assert ${rng.range(0, 99)} == ${rng.range(100, 999)}`,
    );
  lines.push(`${failed} failed, ${passed} passed in ${rng.float(0.4, 40).toFixed(2)}s`);
  return lines.join("\n");
}

export function grepOutput(rng: Rng, lang: CodeLang): string {
  const k = rng.range(2, 6);
  const lines: string[] = [];
  const fn = fnName(rng, lang);
  for (let i = 0; i < k; i++)
    lines.push(`${filePath(rng, lang)}:${rng.range(3, 400)}:    ${fn}(${rng.pick(ENTITIES)}s)`);
  return lines.join("\n");
}

export function repoName(rng: Rng): string {
  return `${rng.pick(["acme", "orbit", "pixel", "tessera", "lumen", "kestrel", "quartz", "harbor", "nimbus", "vertex"])}-${rng.pick(["api", "web", "core", "platform", "billing", "ingest", "mobile", "sdk", "infra"])}`;
}

export function featureTask(rng: Rng): string {
  const e = rng.pick(ENTITIES);
  return rng.pick([
    `add pagination to the /${e}s endpoint`,
    `make the ${e} import idempotent`,
    `add retries with exponential backoff to the ${e} client`,
    `migrate the ${e} table to use UUID primary keys`,
    `add a CSV export for ${e}s`,
    `fix the race condition when two workers update the same ${e}`,
    `add input validation for the ${e} form`,
    `cache ${e} lookups for 5 minutes`,
    `split the ${e} service into smaller modules`,
    `add rate limiting to the ${e} API`,
    `write integration tests for the ${e} flow`,
    `upgrade the ${e} handler to the new SDK version`,
  ]);
}
