import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { ReportStore } from "./port.ts";

/**
 * The filesystem report store: keys are paths under one root directory. Writes go to a temporary
 * sibling and are renamed into place, so a reader (or a crash) never sees half a report; alert
 * markers use O_EXCL so that of two concurrent runs exactly one creates each marker.
 */
export class FsReportStore implements ReportStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: string | Uint8Array, _contentType: string): Promise<"written" | "unchanged"> {
    const path = this.path(key);
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const existing = await readOrNull(path);
    if (existing !== null && Buffer.compare(existing, bytes) === 0) return "unchanged";
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(bytes);
        // Durable before it becomes visible: the rename must not publish an empty file after a crash.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return "written";
  }

  async get(key: string): Promise<Uint8Array | null> {
    return readOrNull(this.path(key));
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    try {
      await handle.writeFile(body, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  }

  locate(key: string): string {
    return this.path(key);
  }

  /** The absolute path of a key; keys that would leave the root are refused. */
  private path(key: string): string {
    assertKey(key);
    const path = join(this.root, ...key.split("/"));
    if (!path.startsWith(this.root + sep))
      throw new Error(`store key escapes the root: ${JSON.stringify(key)}`);
    return path;
  }
}

/** Store keys are relative, slash-separated, without empty, "." or ".." segments or odd characters. */
export function assertKey(key: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const bad = /[\u0000-\u001f\u007f\\]/.test(key) || isAbsolute(key);
  const segments = key.split("/");
  if (bad || key.length === 0 || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new Error(`invalid store key: ${JSON.stringify(key)}`);
  }
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
