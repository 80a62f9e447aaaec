import { randomUUID } from "node:crypto";
import type { ReportStore } from "./port.ts";

/**
 * A lock per run id in the report store, so that two overlapping runs of one window publish one
 * after the other and produce one digest. The lock is a sequence of generations,
 * `locks/<run>/<n>`, each created exclusively (S3 If-None-Match, a hard link on a filesystem):
 * only exclusive creates are needed, no compare-and-swap and no delete. Generation n is held
 * until its holder rewrites it as released, its expiry passes, or (locally) its process is gone;
 * the next run then creates generation n + 1. Nobody but the holder writes its generation.
 */

export const LOCK_TTL_MS = 5 * 60_000;

export interface LockOwner {
  /** Random per acquisition: tells our own lock from another run's after a retried create. */
  readonly token: string;
  readonly host: string;
  readonly pid: number;
}

export interface LockRecord {
  readonly status: "held" | "released";
  readonly run_id: string;
  readonly generation: number;
  readonly owner: LockOwner;
  readonly acquired_at: string;
  readonly expires_at: string;
  readonly released_at?: string;
}

export interface RunLockOptions {
  /** How long a lock holds without renewal; a holder that dies frees it after this at the latest. */
  readonly ttlMs?: number;
  /** How long to wait for another run's lock before giving up (default: the TTL and a little). */
  readonly waitMs?: number;
  readonly pollMs?: number;
  readonly host?: string;
  /**
   * Whether the process that holds a lock still runs: false frees the lock at once. Only the CLI
   * can tell (same host, pid); without it, only release and expiry free a lock.
   */
  readonly ownerAlive?: (owner: LockOwner) => boolean | undefined;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Another run holds the lock of this run id and did not free it within the wait. */
export class RunLockBusyError extends Error {}

/** The lock was lost while held (its expiry passed and another run took the next generation). */
export class RunLockLostError extends Error {}

export function lockKey(runSegment: string, generation: number): string {
  return `locks/${runSegment}/${String(generation).padStart(6, "0")}`;
}

export function parseLock(bytes: Uint8Array | null): LockRecord | null {
  if (bytes === null) return null;
  try {
    const record = JSON.parse(Buffer.from(bytes).toString("utf8")) as LockRecord;
    return record && typeof record === "object" && typeof record.expires_at === "string" ? record : null;
  } catch {
    return null;
  }
}

/** Whether a lock record still holds: not released, not expired, and its owner not known gone. */
export function lockHolds(
  record: LockRecord | null,
  now: number,
  ownerAlive?: RunLockOptions["ownerAlive"],
): boolean {
  // An unreadable lock cannot say when it expires; both stores write whole objects, so it is
  // damage, and must not block every later run.
  if (record === null || record.status !== "held") return false;
  if (!(Date.parse(record.expires_at) > now)) return false;
  return ownerAlive?.(record.owner) !== false;
}

export class RunLock {
  private released = false;

  constructor(
    private readonly store: ReportStore,
    readonly runSegment: string,
    readonly generation: number,
    private record: LockRecord,
    private readonly options: Required<Pick<RunLockOptions, "ttlMs" | "now">>,
  ) {}

  get key(): string {
    return lockKey(this.runSegment, this.generation);
  }

  get owner(): LockOwner {
    return this.record.owner;
  }

  /**
   * Extends the expiry before a stage that must not overlap another run (sending alerts). Throws
   * RunLockLostError when the lock already expired or another run took the next generation.
   */
  async renew(): Promise<void> {
    const now = this.options.now();
    if (!(Date.parse(this.record.expires_at) > now))
      throw new RunLockLostError(`run lock ${this.key} expired before its run finished publishing`);
    if ((await this.store.get(lockKey(this.runSegment, this.generation + 1))) !== null)
      throw new RunLockLostError(`run lock ${this.key} was taken over by another run`);
    this.record = { ...this.record, expires_at: new Date(now + this.options.ttlMs).toISOString() };
    await this.store.put(this.key, lockBody(this.record), "application/json");
  }

  /** Frees the lock for the next run; a second call does nothing. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.record = {
      ...this.record,
      status: "released",
      released_at: new Date(this.options.now()).toISOString(),
    };
    await this.store.put(this.key, lockBody(this.record), "application/json");
  }
}

function lockBody(record: LockRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The newest generation of a run's lock and its record, or generation -1 when there is none. */
export async function latestLock(
  store: ReportStore,
  runSegment: string,
): Promise<{ generation: number; record: LockRecord | null }> {
  let generation = -1;
  let record: LockRecord | null = null;
  for (;;) {
    const bytes = await store.get(lockKey(runSegment, generation + 1));
    if (bytes === null) return { generation, record };
    generation += 1;
    record = parseLock(bytes);
  }
}

/**
 * Takes the run's lock, waiting while another live run holds it. Throws RunLockBusyError when
 * the wait runs out; store errors (throttling, access denied) propagate.
 */
export async function acquireRunLock(
  store: ReportStore,
  runId: string,
  runSegment: string,
  options: RunLockOptions = {},
): Promise<RunLock> {
  const ttlMs = options.ttlMs ?? LOCK_TTL_MS;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = options.pollMs ?? 250;
  const deadline = now() + (options.waitMs ?? ttlMs + 10_000);
  const owner: LockOwner = { token: randomUUID(), host: options.host ?? "unknown", pid: process.pid };
  for (;;) {
    const { generation, record } = await latestLock(store, runSegment);
    // A create whose response was lost and retried reads back as "exists": it is still ours.
    const ours = record?.owner?.token === owner.token;
    if (!ours && lockHolds(record, now(), options.ownerAlive)) {
      if (now() >= deadline) {
        throw new RunLockBusyError(
          `another run of ${runId} holds the run lock ${lockKey(runSegment, generation)} until ${record?.expires_at}`,
        );
      }
      await sleep(pollMs);
      continue;
    }
    const next = ours ? generation : generation + 1;
    const at = now();
    const held: LockRecord = {
      status: "held",
      run_id: runId,
      generation: next,
      owner,
      acquired_at: new Date(at).toISOString(),
      expires_at: new Date(at + ttlMs).toISOString(),
    };
    if (ours || (await store.createExclusive(lockKey(runSegment, next), lockBody(held)))) {
      return new RunLock(store, runSegment, next, ours && record ? record : held, { ttlMs, now });
    }
    // Another run created generation `next` first: look again (it holds now, so we wait).
  }
}
