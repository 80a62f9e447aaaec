#!/usr/bin/env node
// The package's command. It runs the TypeScript sources through tsx, so `npx distill-audit`
// works in a checkout right after `npm ci`, with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv);
