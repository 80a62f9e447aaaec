import type {
  AuditWindow,
  PreparedWindow,
  QueryEngine,
  QueryParams,
  QueryResult,
  Row,
} from "../lib/engine/port.ts";

export interface QueryTiming {
  readonly query: string;
  readonly wallMs: number;
  /** Process CPU time while the query ran alone: every DuckDB thread, none of the others' load. */
  readonly cpuMs: number;
  readonly rows: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * A QueryEngine decorator for the bench: runs the audit's queries one at a time and records each
 * one's wall and CPU time. The DuckDB adapter runs every query on one connection, which executes
 * one statement at a time anyway, so serialising changes no result and costs no time; it only makes
 * each query's time its own instead of overlapping with the detectors started beside it.
 */
export class TimedEngine implements QueryEngine {
  readonly name;
  readonly timings: QueryTiming[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly inner: QueryEngine,
    /** Runs right after the feature stage (a quick snapshot query: milliseconds, inside the stage time). */
    private readonly afterPrepare: () => Promise<void> = async () => {},
  ) {
    this.name = inner.name;
  }

  async prepare(window: AuditWindow): Promise<PreparedWindow> {
    const prepared = await this.serial(
      "prepare (feature stage)",
      () => this.inner.prepare(window),
      () => 0,
    );
    await this.afterPrepare();
    return prepared;
  }

  run<R extends Row>(query: string, params: QueryParams): Promise<QueryResult<R>> {
    return this.serial(
      query,
      () => this.inner.run<R>(query, params),
      (r) => r.rows.length,
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private serial<T>(query: string, work: () => Promise<T>, rows: (result: T) => number): Promise<T> {
    const next = this.tail.then(async () => {
      const cpu = cpuMs();
      const started = performance.now();
      const result = await work();
      this.timings.push({
        query,
        wallMs: performance.now() - started,
        cpuMs: cpuMs() - cpu,
        rows: rows(result),
      });
      return result;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}
