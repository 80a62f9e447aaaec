/** User-agent strings: popular SDKs (shared by many accounts), browsers, and custom app agents. */
import { type Rng, Weighted } from "./rng.ts";

/** The popular SDK strings: a hub that thousands of unrelated accounts share. */
export const SDK_AGENTS = new Weighted<string>([
  ["anthropic-python/0.39.0", 14],
  ["anthropic-python/0.40.0", 10],
  ["anthropic-python/0.42.0", 8],
  ["anthropic-typescript/0.32.1", 6],
  ["anthropic-typescript/0.33.1", 5],
  ["openai-python/1.54.3", 8],
  ["openai-python/1.55.0", 4],
  ["openai-node/4.67.1", 6],
  ["openai-node/4.73.0", 3],
  ["python-requests/2.32.3", 7],
  ["python-requests/2.31.0", 3],
  ["python-httpx/0.27.2", 4],
  ["curl/8.5.0", 3],
  ["curl/7.81.0", 1.5],
  ["axios/1.7.7", 2],
  ["Go-http-client/2.0", 2],
  ["okhttp/4.12.0", 1],
  ["litellm/1.52.6", 2],
  ["langchain-anthropic/0.3.0", 2],
]);

/** Developers and coding agents: SDKs plus CLI tools. */
export const DEV_AGENTS = new Weighted<string>([
  ["anthropic-python/0.42.0", 6],
  ["anthropic-python/0.40.0", 5],
  ["anthropic-typescript/0.33.1", 5],
  ["openai-python/1.55.0", 3],
  ["curl/8.5.0", 3],
  ["python-httpx/0.27.2", 2],
  ["python-requests/2.32.3", 3],
  ["litellm/1.52.6", 1.5],
  ["Go-http-client/2.0", 1],
]);

export const BROWSER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
] as const;

export const CODING_AGENT_AGENTS = [
  "codeforge-cli/0.9.12 (linux; node 20.11.1)",
  "codeforge-cli/0.9.14 (darwin; node 22.3.0)",
  "patchpilot/1.4.2",
  "termagent/2.1.0 (darwin-arm64)",
  "devloop/0.31.5 python/3.12",
] as const;

const APP_NAMES = [
  "Ticketwise",
  "Helpdeskly",
  "ReviewPulse",
  "Sortify",
  "Inboxzen",
  "Caseflow",
  "Shopnotes",
  "Feedbackr",
  "Triagely",
  "Supportbay",
  "Listingly",
  "Querydesk",
];

const APP_SUFFIX = ["worker", "api", "backend", "svc", "batch"];

/** A custom application agent, e.g. `Ticketwise-worker/3.2.0`. */
export function customAppAgent(rng: Rng): string {
  const name = rng.pick(APP_NAMES);
  const v = `${rng.range(1, 6)}.${rng.range(0, 14)}.${rng.range(0, 9)}`;
  return rng.chance(0.5)
    ? `${name}-${rng.pick(APP_SUFFIX)}/${v}`
    : `${name}/${v} (+https://${name.toLowerCase()}.com/bot)`;
}

/** Gateways of resellers / chat platforms. */
export function platformAgent(rng: Rng): string {
  const name = rng.pick([
    "Chatterly-Gateway",
    "Convoloop-Relay",
    "PolyChat-Proxy",
    "AskHub-Edge",
    "Talkstack-API",
  ]);
  return `${name}/${rng.range(2, 7)}.${rng.range(0, 12)}.${rng.range(0, 9)}`;
}

/** Rare, unbranded automation clients (some benign batch jobs use these too). */
export const RARE_AGENTS = [
  "llm-batch-client/1.0.3",
  "aiohttp/3.9.1 agent-runner/0.3.1",
  "Python/3.11 aiohttp/3.9.5",
  "node/20.11.1 undici/6.6.2",
  "Java-http-client/17.0.9",
  "reqwest/0.12.4",
] as const;
