/**
 * Hive/Glue column types from a JSON Schema (as zod's toJSONSchema emits it), so the Glue table
 * over the findings history is derived from the findings model and cannot drift from it.
 */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
}

export class GlueTypeError extends Error {}

export function hiveType(schema: JsonSchema, path = "(root)"): string {
  const variants = (schema.anyOf ?? schema.oneOf)?.filter((s) => s.type !== "null");
  if (variants) {
    if (variants.length !== 1) throw new GlueTypeError(`${path}: a union of several types has no Hive type`);
    return hiveType(variants[0] as JsonSchema, path);
  }
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== "null");
  const type =
    types[0] ?? (schema.const !== undefined ? typeof schema.const : schema.enum ? "string" : undefined);
  switch (type) {
    case "string":
      return "string";
    case "integer":
      return "bigint";
    case "number":
      return "double";
    case "boolean":
      return "boolean";
    case "array":
      if (!schema.items) throw new GlueTypeError(`${path}: array without items`);
      return `array<${hiveType(schema.items, `${path}[]`)}>`;
    case "object": {
      if (schema.properties && Object.keys(schema.properties).length > 0) {
        const fields = Object.entries(schema.properties).map(
          ([name, field]) => `${name}:${hiveType(field, `${path}.${name}`)}`,
        );
        return `struct<${fields.join(",")}>`;
      }
      if (typeof schema.additionalProperties === "object") {
        return `map<string,${hiveType(schema.additionalProperties, `${path}{}`)}>`;
      }
      throw new GlueTypeError(`${path}: object without properties`);
    }
    default:
      throw new GlueTypeError(`${path}: no Hive type for ${JSON.stringify(schema)}`);
  }
}

/** Top-level columns of an object schema, in its property order. */
export function hiveColumns(schema: JsonSchema): { name: string; type: string }[] {
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    name,
    type: hiveType(field, name),
  }));
}
