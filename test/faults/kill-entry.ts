/**
 * Test-only entry point: runs the CLI with the report store and the outbox wrapped so that the
 * process SIGKILLs itself at one stage of publishing, as a crash, an OOM kill or a Lambda timeout
 * would stop it there. Nothing in lib/ knows about it: the wrappers patch the prototypes of the
 * classes the CLI instantiates. Usage: `kill-entry.ts <stage> -- <distill-audit arguments>`.
 */
import { OutboxNotifier } from "../../lib/notify/outbox.ts";
import { FsReportStore } from "../../lib/store/fs.ts";
import { KILL_STAGES } from "./stages.ts";

function die(): never {
  process.kill(process.pid, "SIGKILL");
  // SIGKILL cannot be caught; this only satisfies the type checker.
  throw new Error("unreachable");
}

function statusOf(body: string | Uint8Array): string | undefined {
  try {
    return (JSON.parse(Buffer.from(body).toString("utf8")) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

const [stage, separator, ...cliArgs] = process.argv.slice(2);
if (separator !== "--" || !(KILL_STAGES as readonly string[]).includes(stage ?? "")) {
  process.stderr.write(`usage: kill-entry.ts <${KILL_STAGES.join("|")}> -- <arguments>\n`);
  process.exit(64);
}

type Store = {
  put(key: string, body: string | Uint8Array, type: string): Promise<"written" | "unchanged">;
  createExclusive(key: string, body: string): Promise<boolean>;
  commit(temp: string, path: string): Promise<void>;
};
const store = FsReportStore.prototype as unknown as Store;
const put = store.put;
const createExclusive = store.createExclusive;
const commit = store.commit;
const publish = OutboxNotifier.prototype.publish;
let confirmed = 0;

store.put = async function (this: Store, key, body, type) {
  const status = key.startsWith("alerts/") ? statusOf(body) : undefined;
  if (stage === "lock" && !key.startsWith("locks/")) die();
  if (stage === "manifest" && key.endsWith("/manifest.json")) die();
  if (stage === "claimed" && status === "sending") die();
  if (stage === "release" && key.startsWith("locks/") && statusOf(body) === "released") die();
  const result = await put.call(this, key, body, type);
  if (stage === "confirm" && status === "sent" && ++confirmed === 1) die();
  return result;
};
store.createExclusive = async function (this: Store, key, body) {
  const created = await createExclusive.call(this, key, body);
  if (stage === "claim" && key.startsWith("alerts/") && created) die();
  return created;
};
store.commit = async function (this: Store, temp, path) {
  if (stage === "bundle-temp" && path.includes("/reports/")) die();
  return commit.call(this, temp, path);
};
OutboxNotifier.prototype.publish = async function (this: OutboxNotifier, digest) {
  if (stage === "sending") die();
  const result = await publish.call(this, digest);
  if (stage === "sent") die();
  return result;
};

const { main } = await import("../../lib/cli/main.ts");
process.exitCode = await main(["node", "distill-audit", ...cliArgs]);
