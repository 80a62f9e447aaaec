/**
 * The canonical request-log schema, version 1. Everything that needs to know the shape of the logs
 * (the DuckDB reader, the Glue tables, validation, the README table, the generator) derives from
 * these two lists, so the schema cannot drift between the local engine and Athena.
 */

export const LOG_SCHEMA_VERSION = 1;

export type FieldType = "string" | "timestamp" | "integer" | "double";

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly meaning: string;
}

export const REQUEST_FIELDS = [
  { name: "request_id", type: "string", required: true, meaning: "unique id of the request" },
  { name: "ts", type: "timestamp", required: true, meaning: "when the request arrived (RFC 3339, UTC)" },
  {
    name: "account_id",
    type: "string",
    required: true,
    meaning: "billing account / organization owning the key",
  },
  { name: "api_key_id", type: "string", required: false, meaning: "API key used" },
  { name: "source_ip", type: "string", required: false, meaning: "client IP, v4 or v6" },
  {
    name: "source_asn",
    type: "integer",
    required: false,
    meaning: "autonomous system of the client IP, as the gateway logged it",
  },
  { name: "source_country", type: "string", required: false, meaning: "ISO 3166-1 alpha-2 of the client IP" },
  { name: "user_agent", type: "string", required: false, meaning: "client user agent / SDK string" },
  { name: "model", type: "string", required: true, meaning: "model id requested" },
  { name: "input_tokens", type: "integer", required: true, meaning: "input tokens billed (>= 0)" },
  { name: "output_tokens", type: "integer", required: true, meaning: "output tokens billed (>= 0)" },
  { name: "max_tokens", type: "integer", required: false, meaning: "output cap requested" },
  { name: "temperature", type: "double", required: false, meaning: "sampling temperature" },
  {
    name: "thinking_budget",
    type: "integer",
    required: false,
    meaning: 'reasoning/"extended thinking" budget requested; null or 0 when off',
  },
  { name: "tools", type: "integer", required: false, meaning: "number of tool definitions offered" },
  {
    name: "turns",
    type: "integer",
    required: false,
    meaning: "number of messages in the request (1 = single turn)",
  },
  {
    name: "conversation_id",
    type: "string",
    required: false,
    meaning: "conversation/session id when the client sends one",
  },
  { name: "system_prompt", type: "string", required: false, meaning: "system prompt text" },
  {
    name: "prompt",
    type: "string",
    required: true,
    meaning: "text of the last user message (may be truncated by the logger)",
  },
  { name: "status", type: "integer", required: false, meaning: "HTTP status returned (200, 429, 400, 500…)" },
] as const satisfies readonly FieldSpec[];

export const ACCOUNT_FIELDS = [
  { name: "account_id", type: "string", required: true, meaning: "billing account / organization id" },
  {
    name: "created_at",
    type: "timestamp",
    required: false,
    meaning: "when the account was created (RFC 3339)",
  },
  {
    name: "payment_fingerprint",
    type: "string",
    required: false,
    meaning: "opaque id of the payment instrument",
  },
  { name: "email_domain", type: "string", required: false, meaning: "domain of the account's e-mail" },
  { name: "signup_country", type: "string", required: false, meaning: "ISO 3166-1 alpha-2 at sign-up" },
  { name: "signup_ip", type: "string", required: false, meaning: "client IP at sign-up" },
  {
    name: "account_type",
    type: "string",
    required: false,
    meaning: "individual, startup, education, research, enterprise, or other strings",
  },
] as const satisfies readonly FieldSpec[];

type TsOf<T extends FieldType> = T extends "string"
  ? string
  : T extends "timestamp"
    ? string
    : T extends "integer"
      ? number
      : number;

type RecordOf<F extends readonly FieldSpec[]> = {
  [K in F[number] as K["required"] extends true ? K["name"] : never]: TsOf<K["type"]>;
} & {
  [K in F[number] as K["required"] extends true ? never : K["name"]]?: TsOf<K["type"]> | null;
};

/** One request as it appears in a JSON Lines log file (timestamps as RFC 3339 strings). */
export type RequestRecord = RecordOf<typeof REQUEST_FIELDS>;
/** One account record as it appears in the optional accounts files. */
export type AccountRecord = RecordOf<typeof ACCOUNT_FIELDS>;

export const REQUIRED_REQUEST_FIELDS = REQUEST_FIELDS.filter((f) => f.required).map((f) => f.name);
export const OPTIONAL_REQUEST_FIELDS = REQUEST_FIELDS.filter((f) => !f.required).map((f) => f.name);

const DUCKDB_TYPES: Record<FieldType, string> = {
  string: "VARCHAR",
  timestamp: "TIMESTAMP",
  integer: "BIGINT",
  double: "DOUBLE",
};

const GLUE_TYPES: Record<FieldType, string> = {
  string: "string",
  timestamp: "timestamp",
  integer: "bigint",
  double: "double",
};

export function duckdbType(type: FieldType): string {
  return DUCKDB_TYPES[type];
}

/** Columns for a Glue table (`requests` or `accounts`), in schema order. */
export function glueColumns(fields: readonly FieldSpec[]): { name: string; type: string; comment: string }[] {
  return fields.map((f) => ({ name: f.name, type: GLUE_TYPES[f.type], comment: f.meaning }));
}

/** The Markdown table the README shows; a test keeps the README in step with it. */
export function schemaMarkdownTable(fields: readonly FieldSpec[]): string {
  const header = "| field | type | required | meaning |\n|---|---|---|---|";
  const rows = fields.map((f) => `| ${f.name} | ${f.type} | ${f.required ? "yes" : "no"} | ${f.meaning} |`);
  return [header, ...rows].join("\n");
}
