import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { updateReadme } from "../lib/docs/readme.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README stays true to the code", () => {
  it("shows the two quick-start commands", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm test");
  });

  it("has up-to-date schema and detector sections (run `npm run docs` to refresh)", () => {
    expect(updateReadme(readme)).toBe(readme);
  });
});
