import "aws-sdk-client-mock-vitest/extend";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { SnsNotifier, SnsPublishError } from "../../lib/notify/sns.ts";

const sns = mockClient(SNSClient);
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:distill-audit-alerts";

function notifier(sleeps: number[] = []): SnsNotifier {
  return new SnsNotifier({
    client: new SNSClient({ region: "eu-west-1" }),
    topicArn: TOPIC,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
  });
}

function throttled(): Error {
  return Object.assign(new Error("Rate exceeded"), {
    name: "Throttling",
    $metadata: { httpStatusCode: 400 },
  });
}

const DIGEST = {
  subject: "[distill-audit] HIGH: 3 new findings\r\n(1 cluster)",
  body: "3 new findings",
  attributes: { severity: "high", severity_rank: 3, new_findings: 3, note: "" },
};

beforeEach(() => {
  sns.reset();
});

describe("SNS notifier", () => {
  it("publishes a single-line subject and typed message attributes", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });

    // Act
    const result = await notifier().publish(DIGEST);

    // Assess
    expect(result).toEqual({ messageId: "m-1" });
    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: "[distill-audit] HIGH: 3 new findings (1 cluster)",
      Message: "3 new findings",
      MessageAttributes: {
        severity: { DataType: "String", StringValue: "high" },
        severity_rank: { DataType: "Number", StringValue: "3" },
        new_findings: { DataType: "Number", StringValue: "3" },
      },
    });
  });

  it("keeps subjects under SNS's 100-character limit", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-2" });

    // Act
    await notifier().publish({ ...DIGEST, subject: `[distill-audit] ${"x".repeat(300)}` });

    // Assess
    const subject = sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject as string;
    expect(Array.from(subject).length).toBeLessThan(100);
    expect(subject).toBe(`[distill-audit] ${"x".repeat(80)}...`);
  });

  it("retries while SNS throttles, with growing delays, then succeeds", async () => {
    // Prepare
    const sleeps: number[] = [];
    sns.on(PublishCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: "m-3" });

    // Act
    const result = await notifier(sleeps).publish(DIGEST);

    // Assess
    expect(result.messageId).toBe("m-3");
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
    expect(sleeps).toEqual([200, 400]);
  });

  it("surfaces a persistent throttling failure after the attempt bound", async () => {
    // Prepare
    sns.on(PublishCommand).rejects(throttled());

    // Act
    const failure = notifier().publish(DIGEST);

    // Assess
    await expect(failure).rejects.toThrow(/failed after 5 attempt\(s\): Throttling: Rate exceeded/);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 5);
  });

  it("does not retry an error that will not go away", async () => {
    // Prepare
    sns.on(PublishCommand).rejects(Object.assign(new Error("no such topic"), { name: "NotFoundException" }));

    // Act
    const failure = notifier().publish(DIGEST);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(SnsPublishError);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it("refuses attributes SNS would reject", async () => {
    // Act
    const badName = notifier().publish({ ...DIGEST, attributes: { "bad name": 1 } });
    const tooMany = notifier().publish({
      ...DIGEST,
      attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, i])),
    });

    // Assess
    await expect(badName).rejects.toThrow(/invalid SNS message attribute name "bad name"/);
    await expect(tooMany).rejects.toThrow(/10 message attributes/);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe("SNS notifier: a resent digest is recognisable", () => {
  it("sends the digest id as an attribute, and no FIFO fields to a standard topic", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });

    // Act
    await notifier().publish({
      ...DIGEST,
      id: "digest-1",
      attributes: { ...DIGEST.attributes, digest_id: "digest-1" },
    });

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.MessageAttributes?.digest_id).toEqual({ DataType: "String", StringValue: "digest-1" });
    expect(input?.MessageDeduplicationId).toBeUndefined();
    expect(input?.MessageGroupId).toBeUndefined();
  });

  it("uses the digest id as the deduplication id on a FIFO topic, so SNS drops a quick resend", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const fifo = new SnsNotifier({
      client: new SNSClient({ region: "eu-west-1" }),
      topicArn: `${TOPIC}.fifo`,
    });

    // Act
    await fifo.publish({ ...DIGEST, id: "digest 2/é" });
    await fifo.publish({ ...DIGEST, id: "x".repeat(200) });

    // Assess
    const inputs = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toMatchObject({
      MessageDeduplicationId: "digest_2/_",
      MessageGroupId: "distill-audit",
    });
    expect(inputs[1]?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });
});
