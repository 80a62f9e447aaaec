import { createHash } from "node:crypto";
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import type { Row } from "../port.ts";
import { type Column, columnsOf, typedRow } from "./results.ts";

/**
 * Runs statements on Athena: start with an idempotency token, poll with capped exponential
 * backoff and jitter, retry what Athena says may succeed if resubmitted, stop a query rather
 * than let the Lambda be killed under it, and read typed rows page by page.
 */

/** One statement as submitted for one attempt. */
export interface Statement {
  /** What the statement is, for errors and stats: a catalogue query name or "features@<day>". */
  readonly label: string;
  readonly sql: string;
  /** Positional values, already rendered as Athena literals. */
  readonly parameters: readonly string[];
  /**
   * The same seed (and attempt) gives the same ClientRequestToken, so a retried invocation of the
   * same run gets back the execution it already started instead of scanning again.
   */
  readonly tokenSeed: string;
}

export interface Execution {
  readonly id: string;
  readonly label: string;
  readonly bytesScanned: number | null;
  readonly engineMs: number;
  readonly attempts: number;
}

/** Why Athena says a query failed, as reported by AthenaError. */
export interface AthenaFailure {
  readonly category: number | null;
  readonly errorType: number | null;
  readonly retryable: boolean;
  readonly message: string;
}

export class AthenaQueryError extends Error {
  constructor(
    message: string,
    readonly query: string,
    readonly executionId: string | null,
    readonly failure: AthenaFailure | null,
  ) {
    super(message);
    this.name = "AthenaQueryError";
  }
}

/** The Lambda was about to run out of time; the query was stopped (or never started). */
export class AthenaDeadlineError extends AthenaQueryError {
  constructor(query: string, executionId: string | null) {
    super(
      executionId === null
        ? `not starting Athena query ${query}: the invocation is too close to its deadline`
        : `stopped Athena query ${query} (${executionId}): the invocation is too close to its deadline`,
      query,
      executionId,
      null,
    );
    this.name = "AthenaDeadlineError";
  }
}

export interface AthenaRunnerOptions {
  readonly client: AthenaClient;
  readonly workGroup: string;
  readonly database: string;
  readonly catalog?: string;
  /** Milliseconds the invocation has left (Lambda's context.getRemainingTimeInMillis). */
  readonly remainingMs?: () => number;
  /** Stop polling and cancel the query when fewer than this many milliseconds remain. */
  readonly deadlineMarginMs?: number;
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  /** Attempts per statement when Athena reports a retryable or system failure. */
  readonly maxAttempts?: number;
  /** Retries of one API call that Athena throttled. */
  readonly maxThrottleRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface ExecuteOptions {
  /** Also retry failures this predicate accepts (e.g. a leftover UNLOAD target on a new target). */
  readonly retryOn?: (failure: AthenaFailure) => boolean;
}

const THROTTLING = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
  "SlowDown",
]);
const PAGE_SIZE = 1000;
/** Athena error category 1 is "system": an Athena-side fault, worth resubmitting. */
const SYSTEM_ERROR = 1;

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return (
    e !== null &&
    typeof e === "object" &&
    (THROTTLING.has(e.name ?? "") || e.$metadata?.httpStatusCode === 429)
  );
}

/**
 * Athena error messages can quote data (e.g. a value that failed a cast). Long quoted spans are cut
 * so prompt text cannot reach logs through an error.
 */
export function redactQuoted(message: string): string {
  return message.replace(
    /'([^']{40,})'/g,
    (_m, inner: string) => `'${inner.slice(0, 16)}…(${inner.length} chars)'`,
  );
}

export function requestToken(seed: string, attempt: number): string {
  // 64 hex characters: within ClientRequestToken's 32..128 bounds.
  return createHash("sha256").update(`${seed}#${attempt}`).digest("hex");
}

export class AthenaRunner {
  private readonly remainingMs: () => number;
  private readonly margin: number;
  private readonly pollInitial: number;
  private readonly pollMax: number;
  private readonly maxAttempts: number;
  private readonly maxThrottleRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: AthenaRunnerOptions) {
    this.remainingMs = options.remainingMs ?? (() => Number.POSITIVE_INFINITY);
    this.margin = options.deadlineMarginMs ?? 30_000;
    this.pollInitial = options.pollInitialMs ?? 250;
    this.pollMax = options.pollMaxMs ?? 5_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 6;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  get workGroup(): string {
    return this.options.workGroup;
  }

  /**
   * Runs a statement to completion. `build` gives the statement for each attempt (1-based): most
   * callers return the same SQL and let the token change with the attempt.
   */
  async execute(build: (attempt: number) => Statement, options: ExecuteOptions = {}): Promise<Execution> {
    for (let attempt = 1; ; attempt++) {
      const statement = build(attempt);
      const outcome = await this.attempt(statement, attempt);
      if ("execution" in outcome) return outcome.execution;
      const { failure, executionId } = outcome;
      const retry =
        failure.retryable || failure.category === SYSTEM_ERROR || options.retryOn?.(failure) === true;
      if (!retry || attempt >= this.maxAttempts) {
        const tried = attempt > 1 ? ` after ${attempt} attempts` : "";
        throw new AthenaQueryError(
          `Athena query ${statement.label} failed${tried} (${executionId}): ${redactQuoted(failure.message)}`,
          statement.label,
          executionId,
          failure,
        );
      }
      await this.pause(this.backoff(attempt), statement.label, null);
    }
  }

  /** Every row of a finished SELECT, typed from ColumnInfo. Only the first page has the header row. */
  async rows(execution: Execution): Promise<Row[]> {
    const rows: Row[] = [];
    let columns: Column[] | undefined;
    let nextToken: string | undefined;
    let first = true;
    do {
      const page = await this.call(execution.label, () =>
        this.options.client.send(
          new GetQueryResultsCommand({
            QueryExecutionId: execution.id,
            MaxResults: PAGE_SIZE,
            NextToken: nextToken,
          }),
        ),
      );
      columns ??= columnsOf(page.ResultSet?.ResultSetMetadata?.ColumnInfo);
      const pageRows = page.ResultSet?.Rows ?? [];
      for (const row of first ? pageRows.slice(1) : pageRows) rows.push(typedRow(row, columns));
      first = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  private async attempt(
    statement: Statement,
    attempt: number,
  ): Promise<{ execution: Execution } | { failure: AthenaFailure; executionId: string }> {
    if (this.remainingMs() < this.margin) throw new AthenaDeadlineError(statement.label, null);
    const started = await this.call(statement.label, () =>
      this.options.client.send(
        new StartQueryExecutionCommand({
          QueryString: statement.sql,
          ExecutionParameters: statement.parameters.length > 0 ? [...statement.parameters] : undefined,
          ClientRequestToken: requestToken(statement.tokenSeed, attempt),
          WorkGroup: this.options.workGroup,
          QueryExecutionContext: { Database: this.options.database, Catalog: this.options.catalog },
        }),
      ),
    );
    const id = started.QueryExecutionId;
    if (!id)
      throw new AthenaQueryError(
        `Athena returned no execution id for ${statement.label}`,
        statement.label,
        null,
        null,
      );
    let delay = this.pollInitial;
    for (;;) {
      const polled: GetQueryExecutionCommandOutput = await this.call(
        statement.label,
        () => this.options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
        id,
      );
      const qe: QueryExecution = polled.QueryExecution ?? {};
      const state = qe.Status?.State;
      if (state === "SUCCEEDED") {
        return {
          execution: {
            id,
            label: statement.label,
            bytesScanned: qe.Statistics?.DataScannedInBytes ?? null,
            engineMs: qe.Statistics?.EngineExecutionTimeInMillis ?? 0,
            attempts: attempt,
          },
        };
      }
      if (state === "FAILED") {
        const error = qe.Status?.AthenaError;
        return {
          executionId: id,
          failure: {
            category: error?.ErrorCategory ?? null,
            errorType: error?.ErrorType ?? null,
            retryable: error?.Retryable === true,
            message: error?.ErrorMessage ?? qe.Status?.StateChangeReason ?? "no reason given",
          },
        };
      }
      if (state === "CANCELLED") {
        // Usually our own StopQueryExecution at an earlier invocation's deadline: a retried
        // invocation gets that execution back for the same token, so it must move to a new one.
        return {
          executionId: id,
          failure: {
            category: null,
            errorType: null,
            retryable: true,
            message: `cancelled: ${qe.Status?.StateChangeReason ?? "no reason given"}`,
          },
        };
      }
      // QUEUED or RUNNING (Athena may move a RUNNING query back to QUEUED after a transient fault).
      await this.pause(this.jitter(delay), statement.label, id);
      delay = Math.min(this.pollMax, delay * 2);
    }
  }

  /** Sleeps, unless that would run into the deadline: then the query is stopped and we give up. */
  private async pause(ms: number, label: string, executionId: string | null): Promise<void> {
    if (this.remainingMs() - ms < this.margin) {
      if (executionId !== null) await this.stop(executionId);
      throw new AthenaDeadlineError(label, executionId);
    }
    await this.sleep(ms);
  }

  private async stop(executionId: string): Promise<void> {
    try {
      await this.options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: executionId }));
    } catch {
      // Best effort: the deadline error that follows is what the caller must see.
    }
  }

  /** One API call, retried with backoff while Athena throttles it. */
  private async call<T>(
    label: string,
    send: () => Promise<T>,
    executionId: string | null = null,
  ): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await send();
      } catch (error) {
        if (!isThrottling(error) || retry >= this.maxThrottleRetries) throw error;
        await this.pause(this.backoff(retry + 1), label, executionId);
      }
    }
  }

  /** Capped exponential backoff with equal jitter: half fixed, half random. */
  private backoff(attempt: number): number {
    return this.jitter(Math.min(this.pollMax * 4, this.pollInitial * 2 ** attempt));
  }

  private jitter(ms: number): number {
    return ms / 2 + this.random() * (ms / 2);
  }
}
