import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { redactQuoted } from "../../lib/engine/athena/runner.ts";
import { singleLine, truncate } from "../../lib/report/safe.ts";

/**
 * One logger and one metrics instance per function. What is logged is ours (run ids, counts,
 * query ids, bytes): never rows, and error messages pass through `safeMessage` first, so prompt
 * text cannot reach CloudWatch Logs even when an error quotes data.
 */
export const logger = new Logger({ serviceName: "distill-audit" });
export const metrics = new Metrics({ namespace: "DistillAudit", serviceName: "distill-audit" });

export function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return truncate(redactQuoted(singleLine(message)), 600);
}

/** An error whose message is safe to log and to hand to the Lambda runtime (which logs it too). */
export class RunFailedError extends Error {
  override readonly name: string;

  constructor(error: unknown) {
    super(safeMessage(error));
    this.name = error instanceof Error ? error.name : "Error";
  }
}
