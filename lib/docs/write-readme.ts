import { readFileSync, writeFileSync } from "node:fs";
import { updateReadme } from "./readme.ts";

const path = new URL("../../README.md", import.meta.url);
writeFileSync(path, updateReadme(readFileSync(path, "utf8")));
process.stdout.write("README.md: schema and detector sections regenerated\n");
