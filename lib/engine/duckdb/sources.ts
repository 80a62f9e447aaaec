import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

export type LogFormat = "jsonl" | "parquet";

/** A usage or input problem the user can fix; the CLI prints its message and exits non-zero. */
export class InputError extends Error {}

export interface RelationFiles {
  readonly format: LogFormat | null;
  readonly files: string[];
}

export interface LogSources {
  readonly root: string;
  /** Every dt=YYYY-MM-DD partition with at least one request file, sorted. */
  readonly partitions: string[];
  /** Partition folders that hold no request file. */
  readonly emptyPartitions: string[];
  readonly requestFormat: LogFormat;
  readonly accounts: RelationFiles;
}

const PARTITION = /^dt=(\d{4}-\d{2}-\d{2})$/;

function formatOf(file: string): LogFormat | null {
  if (file.endsWith(".parquet")) return "parquet";
  if (file.endsWith(".jsonl") || file.endsWith(".jsonl.gz") || file.endsWith(".json.gz")) return "jsonl";
  return null;
}

function dataFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => formatOf(name) !== null && !name.startsWith("."))
    .sort()
    .map((name) => join(dir, name));
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
  const partitionDirs = existsSync(requestsDir)
    ? readdirSync(requestsDir)
        .filter((d) => PARTITION.test(d))
        .sort()
    : [];
  const partitions: string[] = [];
  const emptyPartitions: string[] = [];
  const requestFiles: string[] = [];
  for (const dir of partitionDirs) {
    const files = dataFiles(join(requestsDir, dir));
    const day = (PARTITION.exec(dir) as RegExpExecArray)[1] as string;
    if (files.length === 0) emptyPartitions.push(day);
    else partitions.push(day);
    requestFiles.push(...files);
  }
  const requestFormat = singleFormat(requestFiles, requestsDir);
  if (requestFormat === null) {
    throw new InputError(
      `no request files under ${requestsDir}/dt=YYYY-MM-DD/ (expected *.jsonl, *.jsonl.gz or *.parquet)`,
    );
  }
  const accountsDir = join(root, "accounts");
  const accountFiles = existsSync(accountsDir) ? dataFiles(accountsDir) : [];
  return {
    root,
    partitions,
    emptyPartitions,
    requestFormat,
    accounts: { format: singleFormat(accountFiles, accountsDir), files: accountFiles },
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
    .map((day) => ({ day, files: dataFiles(join(sources.root, "requests", `dt=${day}`)) }));
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
}

/**
 * The size of each file as its reader sees it. Each gzip file is decompressed once here: that
 * gives the text size the JSON Lines reader plans its chunks by, and it finds a file cut short,
 * which DuckDB reads without complaint (the lines before the cut are still audited and the file is
 * reported).
 */
export async function fileSizes(files: readonly string[]): Promise<Map<string, FileSize>> {
  const sizes = new Map<string, FileSize>();
  for (const file of files) {
    if (!file.endsWith(".gz")) {
      sizes.set(file, { bytes: statSync(file).size, truncated: false });
      continue;
    }
    let bytes = 0;
    let truncated = false;
    try {
      await pipeline(createReadStream(file), createGunzip(), async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) bytes += chunk.length;
      });
    } catch {
      truncated = true;
    }
    sizes.set(file, { bytes, truncated });
  }
  return sizes;
}
