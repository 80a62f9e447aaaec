import {
  closeSync,
  createReadStream,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
} from "node:fs";
import { join, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

export type LogFormat = "jsonl" | "parquet";

/** A usage or input problem the user can fix; the CLI prints its message and exits non-zero. */
export class InputError extends Error {}

export interface RelationFiles {
  readonly format: LogFormat | null;
  readonly files: string[];
}

/**
 * A file (or folder) under the log root that is not audited, and why. `day` is the partition it
 * lies in, when it lies in a valid one, so only the problems of the audited days are reported;
 * `null` for those that belong to no day (a malformed partition name, a file beside the
 * partitions), which every audit reports since no window can claim them.
 */
export interface FileIssue {
  /** Path relative to the log root. */
  readonly file: string;
  readonly reason: string;
  readonly day: string | null;
}

export interface LogSources {
  readonly root: string;
  /** Every dt=YYYY-MM-DD partition with at least one request file, sorted. */
  readonly partitions: string[];
  /** Partition folders that hold no request file. */
  readonly emptyPartitions: string[];
  readonly requestFormat: LogFormat;
  /** The candidate request files of each partition, sorted (a file may still prove unreadable). */
  readonly requestFiles: ReadonlyMap<string, readonly string[]>;
  readonly accounts: RelationFiles;
  /** Files that exist but cannot be read: named in data_quality.unreadable_files. */
  readonly unreadable: readonly FileIssue[];
  /** Files that are not log files by the layout's rules: named in data_quality.skipped_files. */
  readonly skipped: readonly FileIssue[];
}

const PARTITION = /^dt=(\d{4}-\d{2}-\d{2})$/;

function formatOf(file: string): LogFormat | null {
  if (file.endsWith(".parquet")) return "parquet";
  if (file.endsWith(".jsonl") || file.endsWith(".jsonl.gz") || file.endsWith(".json.gz")) return "jsonl";
  return null;
}

/** Whether YYYY-MM-DD names a real calendar day (`2026-13-45` does not). */
function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** The error code of a failed fs call, as a reason. */
function fsReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "EACCES":
    case "EPERM":
      return "permission_denied";
    case "ELOOP":
      return "symlink_loop";
    case "ENOENT":
      return "dangling_link";
    default:
      return `unreadable:${((error as NodeJS.ErrnoException).code ?? "error").toLowerCase()}`;
  }
}

/**
 * Why an entry that looks like a log file cannot be read, or null when it can. It follows links
 * (a dangling link or a loop is named as such) and opens the file: that is the one check of
 * permissions that holds whoever runs the audit.
 */
function unreadableReason(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return "is_a_directory";
    closeSync(openSync(path, "r"));
    return null;
  } catch (error) {
    // stat of a link to nowhere fails with ENOENT; a file that vanished between readdir and stat
    // also does, and is as unreadable.
    return fsReason(error);
  }
}

interface Listing {
  readonly files: string[];
  readonly unreadable: FileIssue[];
  readonly skipped: FileIssue[];
}

/**
 * The log files of one folder (a partition, or accounts/), and every other entry with a reason:
 * nothing under the log root is dropped without being counted.
 */
function listFolder(root: string, dir: string, day: string | null): Listing {
  const listing: Listing = { files: [], unreadable: [], skipped: [] };
  const rel = (path: string) => relative(root, path);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    listing.unreadable.push({ file: `${rel(dir)}/`, reason: fsReason(error), day });
    return listing;
  }
  for (const name of names) {
    const path = join(dir, name);
    // Hive and Athena ignore names starting with '.' or '_' (_SUCCESS, .crc); so does the audit,
    // but it says so.
    if (name.startsWith(".") || name.startsWith("_")) {
      listing.skipped.push({ file: rel(path), reason: "hidden", day });
      continue;
    }
    if (formatOf(name) === null) {
      let folder = false;
      try {
        folder = lstatSync(path).isDirectory();
      } catch {
        // listed a moment ago; if it is gone it is skipped all the same
      }
      listing.skipped.push({
        file: folder ? `${rel(path)}/` : rel(path),
        reason: folder ? "nested_folder" : "unsupported_extension",
        day,
      });
      continue;
    }
    const reason = unreadableReason(path);
    if (reason === null) listing.files.push(path);
    else listing.unreadable.push({ file: rel(path), reason, day });
  }
  return listing;
}

function singleFormat(files: string[], where: string): LogFormat | null {
  const formats = new Set(files.map((f) => formatOf(f)));
  if (formats.size > 1) {
    throw new InputError(`${where} mixes JSON Lines and Parquet files; keep one format per log root`);
  }
  return (formats.values().next().value as LogFormat | undefined) ?? null;
}

/** Finds the partitioned request files and the optional accounts files under a log root. */
export function discoverSources(root: string): LogSources {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InputError(
      `log directory ${root} does not exist; pass --logs DIR (or run "distill-audit generate")`,
    );
  }
  const requestsDir = join(root, "requests");
  const partitions: string[] = [];
  const emptyPartitions: string[] = [];
  const requestFiles = new Map<string, string[]>();
  const unreadable: FileIssue[] = [];
  const skipped: FileIssue[] = [];
  const formatProbe: string[] = [];
  const entries = existsSync(requestsDir) ? listFolder(root, requestsDir, null) : null;
  if (entries) {
    unreadable.push(...entries.unreadable);
    // Files beside the partitions belong to no day.
    for (const file of entries.files)
      skipped.push({ file: relative(root, file), reason: "outside_partition", day: null });
    for (const issue of entries.skipped) {
      const name = issue.file.replace(/\/$/, "").split("/").at(-1) as string;
      const match = PARTITION.exec(name);
      if (issue.reason !== "nested_folder") {
        skipped.push(issue);
      } else if (match === null) {
        skipped.push({ ...issue, reason: "not_a_partition" });
      } else if (!isCalendarDay(match[1] as string)) {
        unreadable.push({ ...issue, reason: "invalid_partition_date" });
      } else {
        const day = match[1] as string;
        const listing = listFolder(root, join(requestsDir, name), day);
        unreadable.push(...listing.unreadable);
        skipped.push(
          ...listing.skipped.map((s) =>
            s.reason === "nested_folder" ? { ...s, reason: "nested_too_deep" } : s,
          ),
        );
        formatProbe.push(...listing.files, ...listing.unreadable.map((u) => u.file));
        if (listing.files.length === 0 && listing.unreadable.length === 0) emptyPartitions.push(day);
        else {
          partitions.push(day);
          requestFiles.set(day, listing.files);
        }
      }
    }
  }
  const requestFormat = singleFormat(
    formatProbe.filter((f) => formatOf(f) !== null),
    requestsDir,
  );
  if (requestFormat === null) {
    throw new InputError(
      `no request files under ${requestsDir}/dt=YYYY-MM-DD/ (expected *.jsonl, *.jsonl.gz or *.parquet)`,
    );
  }
  const accountsDir = join(root, "accounts");
  const accounts = existsSync(accountsDir) ? listFolder(root, accountsDir, null) : null;
  if (accounts) {
    unreadable.push(...accounts.unreadable);
    skipped.push(...accounts.skipped);
  }
  const accountFiles = accounts?.files ?? [];
  return {
    root,
    partitions: partitions.sort(),
    emptyPartitions: emptyPartitions.sort(),
    requestFormat,
    requestFiles,
    accounts: { format: singleFormat(accountFiles, accountsDir), files: accountFiles },
    unreadable,
    skipped,
  };
}

/** The request files of each partition between two UTC days, inclusive: partition pruning. */
export function requestFilesByDay(
  sources: LogSources,
  dtStart: string,
  dtEnd: string,
): { day: string; files: string[] }[] {
  return sources.partitions
    .filter((day) => day >= dtStart && day <= dtEnd)
    .map((day) => ({ day, files: [...(sources.requestFiles.get(day) ?? [])] }));
}

/** The request files of the partitions between two UTC days, inclusive. */
export function requestFilesBetween(sources: LogSources, dtStart: string, dtEnd: string): string[] {
  return requestFilesByDay(sources, dtStart, dtEnd).flatMap((d) => d.files);
}

export interface FileSize {
  /** Bytes the reader sees: the decompressed text of a gzip file, the file's size otherwise. */
  readonly bytes: number;
  /** A gzip file cut short; its text before the cut is counted in `bytes`. */
  readonly truncated: boolean;
  /**
   * Why the reader cannot open the file at all, or null: a `.gz` that is empty or not gzip, a
   * `.parquet` without Parquet's magic bytes. DuckDB fails the whole read on such a file, so it
   * is set aside before the read.
   */
  readonly unreadable: string | null;
}

const PARQUET_MAGIC = "PAR1";

/** Whether a file starts and ends with Parquet's magic bytes (a footer must follow the data). */
function parquetReason(file: string, size: number): string | null {
  if (size === 0) return "empty_file";
  if (size < 12) return "not_parquet";
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    readSync(fd, tail, 0, 4, size - 4);
    return head.toString("latin1") === PARQUET_MAGIC && tail.toString("latin1") === PARQUET_MAGIC
      ? null
      : "not_parquet";
  } finally {
    closeSync(fd);
  }
}

/**
 * The size of each file as its reader sees it. Each gzip file is decompressed once here: that
 * gives the text size the JSON Lines reader plans its chunks by, and it finds a file cut short,
 * which DuckDB reads without complaint (the lines before the cut are still audited and the file is
 * reported), and a file that is not gzip at all, which DuckDB refuses outright.
 */
export async function fileSizes(files: readonly string[]): Promise<Map<string, FileSize>> {
  const sizes = new Map<string, FileSize>();
  for (const file of files) {
    const size = statSync(file).size;
    if (file.endsWith(".parquet")) {
      sizes.set(file, { bytes: size, truncated: false, unreadable: parquetReason(file, size) });
      continue;
    }
    if (!file.endsWith(".gz")) {
      sizes.set(file, { bytes: size, truncated: false, unreadable: null });
      continue;
    }
    if (size === 0) {
      sizes.set(file, { bytes: 0, truncated: false, unreadable: "empty_file" });
      continue;
    }
    let bytes = 0;
    let failed = false;
    try {
      await pipeline(createReadStream(file), createGunzip(), async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) bytes += chunk.length;
      });
    } catch {
      failed = true;
    }
    // A stream that fails before yielding any text is no gzip (plain text, garbage, a bad header);
    // one that fails later is a gzip cut short, whose text up to the cut DuckDB reads.
    sizes.set(file, {
      bytes,
      truncated: failed && bytes > 0,
      unreadable: failed && bytes === 0 ? "not_gzip" : null,
    });
  }
  return sizes;
}
