import { createHash } from "node:crypto";
import { type MessageAttributeValue, PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { singleLine } from "../report/safe.ts";
import type { Digest, Notifier } from "./port.ts";

/**
 * SNS adapter of the Notifier port. E-mail subscribers filter on the message attributes (e.g.
 * `severity_rank` >= 3), so numbers go out as SNS Number attributes, not strings.
 */
export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** Publish attempts when SNS (or its KMS key) throttles. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** SNS requires e-mail subjects under 100 characters with no line breaks or control characters. */
export const MAX_SUBJECT_CHARS = 99;
/** SNS's message size limit is 256 KiB; leave room for attributes and the envelope. */
const MAX_BODY_BYTES = 240 * 1024;
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)[A-Za-z0-9_\-.]{1,256}$/i;
const RETRYABLE = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "KMSThrottlingException",
  "InternalErrorException",
  "InternalError",
]);

export class SnsPublishError extends Error {}

/** One line, under the limit; an ASCII "..." marks a cut (older SNS e-mail rules allow ASCII only). */
export function snsSubject(subject: string): string {
  const line = singleLine(subject).trim();
  const chars = Array.from(line);
  const cut =
    chars.length <= MAX_SUBJECT_CHARS ? line : `${chars.slice(0, MAX_SUBJECT_CHARS - 3).join("")}...`;
  return cut || "distill-audit";
}

export function snsAttributes(
  attributes: Readonly<Record<string, string | number>>,
): Record<string, MessageAttributeValue> {
  const entries = Object.entries(attributes);
  if (entries.length > MAX_ATTRIBUTES) {
    throw new SnsPublishError(
      `SNS allows ${MAX_ATTRIBUTES} message attributes, the digest has ${entries.length}`,
    );
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (!ATTRIBUTE_NAME.test(name)) throw new SnsPublishError(`invalid SNS message attribute name "${name}"`);
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new SnsPublishError(`attribute ${name} is not a finite number`);
      out[name] = { DataType: "Number", StringValue: String(value) };
    } else if (value !== "") {
      // SNS rejects empty string values; an absent attribute filters the same way.
      out[name] = { DataType: "String", StringValue: singleLine(value) };
    }
  }
  return out;
}

function boundedBody(body: string): string {
  if (Buffer.byteLength(body, "utf8") <= MAX_BODY_BYTES) return body;
  const note = "\n\n[message truncated: the full report is in the results bucket]";
  let cut = body.slice(0, MAX_BODY_BYTES - note.length);
  while (Buffer.byteLength(cut, "utf8") > MAX_BODY_BYTES - note.length) cut = cut.slice(0, -1024);
  return cut + note;
}

export class SnsNotifier implements Notifier {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: SnsNotifierOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async publish(digest: Digest): Promise<{ messageId: string }> {
    const command = new PublishCommand({
      TopicArn: this.options.topicArn,
      Subject: snsSubject(digest.subject),
      Message: boundedBody(digest.body),
      MessageAttributes: snsAttributes(digest.attributes),
      // A FIFO topic drops a message whose deduplication id it saw in the last 5 minutes, so a
      // resend of a digest soon after a crash reaches nobody twice; it requires a group id too.
      // Standard topics (what infra/ deploys: e-mail needs one) reject both fields; there the
      // `digest_id` attribute is what makes a resend recognisable.
      ...(isFifoTopic(this.options.topicArn) && digest.id !== undefined
        ? { MessageDeduplicationId: deduplicationId(digest.id), MessageGroupId: "distill-audit" }
        : {}),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.options.client.send(command);
        if (!response.MessageId)
          throw new SnsPublishError("SNS accepted the message but returned no MessageId");
        return { messageId: response.MessageId };
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.maxAttempts) {
          if (error instanceof SnsPublishError) throw error;
          const name = (error as { name?: string }).name ?? "Error";
          throw new SnsPublishError(
            `SNS publish to ${this.options.topicArn} failed after ${attempt} attempt(s): ${name}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        const cap = this.baseDelayMs * 2 ** (attempt - 1);
        await this.sleep(cap / 2 + this.random() * (cap / 2));
      }
    }
  }
}

export function isFifoTopic(topicArn: string): boolean {
  return topicArn.endsWith(".fifo");
}

/** SNS allows up to 128 characters from "!" to "~" in a deduplication id. */
export function deduplicationId(id: string): string {
  const clean = id.replace(/[^!-~]/g, "_");
  return clean.length <= 128 && clean.length > 0 ? clean : createHash("sha256").update(id).digest("hex");
}

function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return (
    e !== null &&
    typeof e === "object" &&
    (RETRYABLE.has(e.name ?? "") || e.$metadata?.httpStatusCode === 429)
  );
}
