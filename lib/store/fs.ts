import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { ReportStore } from "./port.ts";

/** Where writes in progress live: one folder, so a sweep after a crash reads one directory. */
export const TEMP_DIR = ".tmp";
/** Temporary files of a process on another host, or whose pid was reused, go after this long. */
const STALE_TEMP_MS = 24 * 3_600_000;

/** A short, filename-safe tag of this host: temp files name their writer as `<host>-<pid>`. */
export const HOST_TAG = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);

/** Whether a process of this host is running (EPERM: it is, but belongs to another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The filesystem report store: keys are paths under one root directory. Every write goes to a
 * temporary file in `<root>/.tmp/` and is then renamed (put) or hard-linked (createExclusive)
 * into place, so a reader, or a crash, never sees half a file: a kill leaves at most a stray temp
 * file, which `sweep()` removes once its writer is gone.
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
    const temp = await this.writeTemp(bytes);
    try {
      await this.commit(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
    return "written";
  }

  async get(key: string): Promise<Uint8Array | null> {
    return readOrNull(this.path(key));
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = await this.writeTemp(Buffer.from(body, "utf8"));
    try {
      // link() fails with EEXIST when the key exists, like O_EXCL, but the file it makes appears
      // with its whole content: a kill between create and write cannot leave an empty marker.
      await link(temp, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      // Filesystems without hard links: an exclusive create, then the write (the old window).
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP")
        return this.createThenWrite(path, body);
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
  }

  locate(key: string): string {
    return this.path(key);
  }

  /**
   * Removes temporary files that interrupted writes left behind: those of a process of this host
   * that is no longer running, and any older than a day. Returns how many it removed.
   */
  async sweep(): Promise<number> {
    const dir = join(this.root, TEMP_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const writer = /^([0-9a-f]{8})-(\d+)-[0-9a-f]+\.tmp$/.exec(name);
      const path = join(dir, name);
      let stale = writer !== null && writer[1] === HOST_TAG && !processAlive(Number(writer[2]));
      if (!stale) {
        const info = await statOrNull(path);
        stale = info !== null && Date.now() - info.mtimeMs > STALE_TEMP_MS;
      }
      if (stale) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** A durable temporary file holding the bytes, named by its writer (host and pid). */
  private async writeTemp(bytes: Uint8Array): Promise<string> {
    const dir = join(this.root, TEMP_DIR);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `${HOST_TAG}-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
    try {
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(bytes);
        // Durable before it becomes visible: the rename must not publish an empty file after a crash.
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return temp;
  }

  /** Makes a written temporary file the key's content, in one atomic step. */
  private async commit(temp: string, path: string): Promise<void> {
    await rename(temp, path);
  }

  private async createThenWrite(path: string, body: string): Promise<boolean> {
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

  /** The absolute path of a key; keys that would leave the root are refused. */
  private path(key: string): string {
    assertKey(key);
    if (key.split("/")[0] === TEMP_DIR) throw new Error(`invalid store key: ${JSON.stringify(key)}`);
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

async function statOrNull(path: string): Promise<{ mtimeMs: number } | null> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
