import { buildApp } from "./application.ts";

// `npx cdk synth|deploy [-c config=path/to/deploy.json]`; the CLI synthesizes the app on exit.
buildApp();
