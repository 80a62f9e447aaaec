import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../infra/application.ts";
import { parseDeployConfig } from "../../infra/config.ts";
import { DistillAuditStack } from "../../infra/stack.ts";
import { ENV, exampleConfig } from "./support.ts";

const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

function errors(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations
    .filter((v) => v.severity === "error")
    .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(", ")}`);
}

function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it("synthesizes the app as `cdk synth` does, with no unacknowledged error in the validation report", () => {
    // Prepare
    const { app, stack } = buildApp({ context: NO_BUNDLING });

    // Act
    const assembly = app.synth();

    // Assess
    expect(errors(stack)).toEqual([]);
    const report = JSON.parse(readFileSync(join(assembly.directory, "validation-report.json"), "utf8")) as {
      pluginReports: { pluginName: string; conclusion: string }[];
    };
    expect(report.pluginReports.filter((r) => r.conclusion !== "success")).toEqual([]);
  });

  it.each([
    [
      "without Object Lock, Parquet logs and a KMS-encrypted log bucket",
      (c: ReturnType<typeof exampleConfig>) => {
        c.results = { objectLock: null };
        c.logs.format = "parquet";
        c.logs.kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/0f6c1c9e-1111-2222-3333-444455556666";
      },
    ],
    [
      "with only the daily audit and no subscribers",
      (c: ReturnType<typeof exampleConfig>) => {
        c.schedules = { hourly: { enabled: false } };
        c.compaction = { hourly: { enabled: false } };
        c.alerts = { emails: [], opsEmails: [] };
        c.logs.prefix = "";
      },
    ],
  ])("stays clean %s", (_name, vary) => {
    // Prepare
    const raw = exampleConfig();
    vary(raw);
    const app = new App({ context: NO_BUNDLING, builtinCloudFormationValidation: false });
    const stack = new DistillAuditStack(app, "Variant", {
      config: parseDeployConfig(raw, "infra"),
      env: ENV,
    });

    // Act
    const found = errors(stack);

    // Assess
    expect(found).toEqual([]);
  });

  it("reports an unacknowledged wildcard, so a clean result means something", () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, "Control", { env: ENV });
    new iam.Role(stack, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") }).addToPolicy(
      new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::some-bucket/*"] }),
    );

    // Act
    const found = errors(stack);

    // Assess
    expect(found).toContain(
      "AwsSolutions-IAM5[Resource::arn:aws:s3:::some-bucket/*] at Control/Role/DefaultPolicy/Resource",
    );
  });

  it("gives every acknowledgement a specific finding and a real reason", () => {
    // Prepare
    const { stack } = buildApp({ context: NO_BUNDLING });

    // Act
    const acks = acknowledgements(stack);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      // Whole-rule IAM5 acknowledgements would hide every future wildcard; only exact findings are allowed.
      expect(ack.id).not.toMatch(/AwsSolutions-IAM5$/);
      expect(ack.reason.length).toBeGreaterThan(60);
    }
    expect(new Set(acks.map((a) => a.id.replace(/^annotation::/i, "").replace(/\[.*$/, "")))).toEqual(
      new Set(["AwsSolutions-IAM5", "AwsSolutions-SQS3"]),
    );
  });
});
