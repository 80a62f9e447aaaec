import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { findingsJsonSchema } from "../../lib/findings/model.ts";
import { renderFindingsJson } from "../../lib/report/json.ts";
import { hostileDocument, sampleDocument } from "../support/findings.ts";

const SCHEMA_PATH = fileURLToPath(new URL("../../lib/findings/findings.schema.json", import.meta.url));

/** Rewrites the shipped file from the model, formatted the way `biome check` wants it. */
function regenerate(): void {
  writeFileSync(SCHEMA_PATH, `${JSON.stringify(findingsJsonSchema(), null, 2)}\n`);
  const biome = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));
  execFileSync(biome, ["format", "--write", SCHEMA_PATH], { stdio: "ignore" });
}

function validator() {
  // ajv's CommonJS default export needs unwrapping under NodeNext.
  const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")));
}

describe("the shipped findings JSON Schema", () => {
  it("is the schema generated from the zod model", () => {
    // prepare
    if (process.env.UPDATE_SCHEMA === "1") regenerate();
    const expected = JSON.parse(JSON.stringify(findingsJsonSchema()));

    // act (the file is compared as JSON: its layout is the formatter's business)
    const shipped = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));

    // assess
    expect(
      shipped,
      "lib/findings/findings.schema.json is out of date; regenerate it with: UPDATE_SCHEMA=1 npx vitest run test/findings",
    ).toStrictEqual(expected);
  });

  it("accepts findings.json of a realistic run and of a hostile one", () => {
    // prepare
    const validate = validator();

    for (const document of [sampleDocument(), hostileDocument()]) {
      // act
      const valid = validate(JSON.parse(renderFindingsJson(document)));

      // assess
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it("rejects a document that breaks the contract", () => {
    // prepare
    const validate = validator();
    const broken = JSON.parse(renderFindingsJson(sampleDocument()));
    broken.findings[0].severity = "urgent";
    delete broken.run.window_end;

    // act
    const valid = validate(broken);

    // assess
    expect(valid).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(paths.some((p) => p.startsWith("/findings/0/severity"))).toBe(true);
    expect(paths.some((p) => p.includes("window_end"))).toBe(true);
  });
});
