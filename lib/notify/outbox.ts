import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { singleLine, terminalText, truncate } from "../report/safe.ts";
import { HOST_TAG, processAlive } from "../store/fs.ts";
import type { Digest, Notifier } from "./port.ts";

/** Header names are tokens: letters, digits, "_" and "-" (RFC 5322 allows more; mail tools do not). */
function headerName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "Unnamed";
}

/** Header values are one line, and short enough that no mail tool folds or truncates them. */
function headerValue(value: string | number): string {
  return truncate(singleLine(String(value)), 900);
}

/** The text of an `.eml` file: headers, a blank line, the body, all with CRLF line ends (RFC 5322). */
export function renderEml(digest: Digest, messageId: string, date: Date): string {
  const headers = [
    `Message-ID: <${messageId}@distill-audit.local>`,
    `Date: ${date.toUTCString().replace(/GMT$/, "+0000")}`,
    "From: distill-audit <distill-audit@localhost>",
    `Subject: ${headerValue(digest.subject)}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    // SNS carries these as message attributes; here they are headers a mail filter can match.
    ...Object.entries(digest.attributes).map(
      ([name, value]) => `X-Attribute-${headerName(name)}: ${headerValue(value)}`,
    ),
  ];
  const body = terminalText(digest.body).split(/\r\n|\r|\n/);
  return `${headers.join("\r\n")}\r\n\r\n${body.join("\r\n")}\r\n`;
}

/**
 * The local notifier: each digest becomes one `.eml`-like file in the outbox directory, named by
 * time so a listing reads in order. The file appears whole (temp + rename) for any mail pickup.
 */
export class OutboxNotifier implements Notifier {
  readonly dir: string;
  /** Paths of the files this notifier wrote, oldest first. */
  readonly files: string[] = [];
  private readonly clock: () => Date;

  constructor(dir: string, clock: () => Date = () => new Date()) {
    this.dir = resolve(dir);
    this.clock = clock;
  }

  async publish(digest: Digest): Promise<{ messageId: string }> {
    const date = this.clock();
    const messageId = randomUUID();
    const stamp = date
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z");
    const name = `${stamp}-${messageId}.eml`;
    await mkdir(this.dir, { recursive: true });
    await this.sweep();
    // Named by its writer, so that a later publish can tell a killed writer's leftover from a
    // file another live run is writing right now.
    const temp = join(this.dir, `.${name}.${HOST_TAG}-${process.pid}.tmp`);
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(renderEml(digest, messageId, date), "utf8");
    } finally {
      await handle.close();
    }
    const path = join(this.dir, name);
    await rename(temp, path);
    this.files.push(path);
    return { messageId };
  }

  /** Removes temporary files of writers of this host that are no longer running. */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const writer = /\.([0-9a-f]{8})-(\d+)\.tmp$/.exec(name);
      if (name.startsWith(".") && writer?.[1] === HOST_TAG && !processAlive(Number(writer[2]))) {
        await rm(join(this.dir, name), { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}

/** Writes each digest to a stream (stderr by default): for runs where nobody reads an outbox. */
export class ConsoleNotifier implements Notifier {
  private readonly out: NodeJS.WritableStream;
  private sequence = 0;

  constructor(out: NodeJS.WritableStream = process.stderr) {
    this.out = out;
  }

  async publish(digest: Digest): Promise<{ messageId: string }> {
    this.sequence += 1;
    const attributes = Object.entries(digest.attributes)
      .map(([name, value]) => `${headerName(name)}=${headerValue(value)}`)
      .join(" ");
    this.out.write(
      `alert: ${headerValue(digest.subject)}\n  ${attributes}\n${terminalText(digest.body)
        .split(/\r\n|\r|\n/)
        .map((line) => `  │ ${line}`)
        .join("\n")}\n`,
    );
    return { messageId: `console-${process.pid}-${this.sequence}` };
  }
}
