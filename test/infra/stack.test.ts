import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { findingsHistoryColumns } from "../../infra/constructs/results-bucket.ts";
import { FEATURE_COLUMNS } from "../../lib/engine/athena/features.ts";
import { SHARED_RELATION_COLUMNS } from "../../lib/engine/athena/shared.ts";
import { ACCOUNT_FIELDS, glueColumns, REQUEST_FIELDS } from "../../lib/schema/log-schema.ts";
import { actionsOf, granting, resourcesOf, roleStatements, synth } from "./support.ts";

// One synthesis for the example configuration (Object Lock on, JSON logs), shared by the file.
const { template } = synth();
// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped JSON, read field by field below
type Json = any;
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, Json> }
>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const tableNamed = (name: string) =>
  ofType("AWS::Glue::Table").find(([, r]) => r.Properties.TableInput.Name === name)?.[1].Properties
    .TableInput;

describe("log lake", () => {
  it("derives the requests and accounts tables from the log schema, over the imported bucket", () => {
    // Act
    const requests = tableNamed("requests");
    const accounts = tableNamed("accounts");

    // Assess
    expect(requests.StorageDescriptor.Columns).toEqual(
      glueColumns(REQUEST_FIELDS).map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
    );
    expect(accounts.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(
      ACCOUNT_FIELDS.map((f) => f.name),
    );
    expect(requests.StorageDescriptor.Location).toBe("s3://example-llm-gateway-logs/gateway/requests/");
    expect(accounts.StorageDescriptor.Location).toBe("s3://example-llm-gateway-logs/gateway/accounts/");
    expect(requests.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
      Parameters: { "ignore.malformed.json": "true", "case.insensitive": "true" },
    });
    // The log bucket is imported, never created or given a policy by this stack.
    const buckets = ofType("AWS::S3::Bucket").map(([, r]) => r.Properties.BucketName);
    expect(buckets).not.toContain("example-llm-gateway-logs");
  });

  it("projects dt partitions from the configured first day to now, with a location template", () => {
    // Act
    const requests = tableNamed("requests");

    // Assess
    expect(requests.PartitionKeys).toEqual([expect.objectContaining({ Name: "dt", Type: "string" })]);
    expect(requests.Parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "2026-01-01,NOW",
      "projection.dt.interval": "1",
      "projection.dt.interval.unit": "DAYS",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection template syntax, not JS
      "storage.location.template": "s3://example-llm-gateway-logs/gateway/requests/dt=${dt}/",
    });
  });

  it("reads Parquet logs with the Parquet SerDe when configured", () => {
    // Act
    const parquet = synth((c) => {
      c.logs.format = "parquet";
    }).template.toJSON().Resources as typeof resources;

    // Assess
    const requests = Object.values(parquet).find(
      (r) => r.Type === "AWS::Glue::Table" && r.Properties.TableInput.Name === "requests",
    );
    expect(requests?.Properties.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    );
    expect(requests?.Properties.TableInput.Parameters.classification).toBe("parquet");
  });
});

describe("query engine", () => {
  it("enforces engine v3, CloudWatch metrics, the scan cutoff and KMS-encrypted results", () => {
    template.hasResourceProperties("AWS::Athena::WorkGroup", {
      Name: "distill-audit",
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 1_099_511_627_776,
        EngineVersion: { SelectedEngineVersion: "Athena engine version 3" },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: "SSE_KMS", KmsKey: Match.anyValue() },
          OutputLocation: {
            "Fn::Join": [
              "",
              ["s3://", { Ref: Match.stringLikeRegexp("QueryEngineResultsBucket") }, "/athena/"],
            ],
          },
        },
      },
    });
  });

  it("takes the cutoff from the configuration", () => {
    // Act
    const varied = synth((c) => {
      c.athena = { bytesScannedCutoffPerQuery: 50 * 1024 ** 3 };
    }).template;

    // Assess
    varied.hasResourceProperties("AWS::Athena::WorkGroup", {
      WorkGroupConfiguration: { BytesScannedCutoffPerQuery: 50 * 1024 ** 3 },
    });
  });

  it("expires query results after the configured days", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: "expire-query-results",
            Prefix: "athena/",
            ExpirationInDays: 7,
            Status: "Enabled",
          }),
        ]),
      },
    });
  });
});

describe("feature compaction", () => {
  it("declares the Parquet request_features table partitioned by day, without projection", () => {
    // Act
    const features = tableNamed("request_features");

    // Assess
    expect(features.StorageDescriptor.Columns).toEqual(
      FEATURE_COLUMNS.map((c) => ({ Name: c.name, Type: c.type })),
    );
    expect(features.PartitionKeys).toEqual([expect.objectContaining({ Name: "dt", Type: "string" })]);
    expect(features.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    );
    // Partitions point at committed generations, so the table must not project locations.
    expect(features.Parameters["projection.enabled"]).toBeUndefined();
  });

  it("declares a table per shared relation whose runs are projected, and expires them after a day", () => {
    // Act
    const shared = tableNamed("shared_frame_usage");
    const bucket = ofType("AWS::S3::Bucket").find(([id]) => id.startsWith("FeatureCompactionFeaturesBucket"));

    // Assess
    expect(shared.StorageDescriptor.Columns).toEqual(
      SHARED_RELATION_COLUMNS.frame_usage?.map((c) => ({ Name: c.name, Type: c.type })),
    );
    expect(shared.PartitionKeys).toEqual([expect.objectContaining({ Name: "run", Type: "string" })]);
    expect(shared.Parameters["projection.enabled"]).toBe("true");
    expect(shared.Parameters["projection.run.type"]).toBe("injected");
    expect(JSON.stringify(shared.Parameters["storage.location.template"])).toContain(
      "/shared/frame_usage/run=\u0024{run}/",
    );
    expect(bucket?.[1].Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Id: "expire-shared-relations", Prefix: "shared/", ExpirationInDays: 1 }),
      ]),
    );
  });
});

describe("functions", () => {
  it("runs both handlers on nodejs24.x, arm64, with the SQL folder and audit config in the bundle", () => {
    // Act
    const functions = ofType("AWS::Lambda::Function").map(([, r]) => r.Properties);

    // Assess
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Runtime).toBe("nodejs24.x");
      expect(fn.Architectures).toEqual(["arm64"]);
      expect(fn.Handler).toBe("index.handler");
      expect(fn.Timeout).toBe(900);
      expect(fn.Environment.Variables).toMatchObject({
        DISTILL_AUDIT_SQL_DIR: "/var/task/sql",
        DISTILL_AUDIT_CONFIG_FILE: "/var/task/audit-config.json",
        POWERTOOLS_METRICS_NAMESPACE: "DistillAudit",
        ATHENA_WORKGROUP: "distill-audit",
        GLUE_DATABASE: "distill_audit",
        LOG_BUCKET: "example-llm-gateway-logs",
        LOG_PREFIX: "gateway/",
      });
    }
    const audit = functions.find((f) => f.FunctionName === "distill-audit-audit");
    expect(audit?.Environment.Variables).toMatchObject({
      RESULTS_BUCKET: { Ref: expect.stringMatching(/^ResultsBucket/) },
      ALERT_TOPIC_ARN: { Ref: expect.stringMatching(/^AlertsAlertTopic/) },
    });
  });

  it("sends failed async invocations to the failure queue after two retries", () => {
    const configs = ofType("AWS::Lambda::EventInvokeConfig").map(([, r]) => r.Properties);
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config.MaximumRetryAttempts).toBe(2);
      expect(config.DestinationConfig.OnFailure.Destination).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^FailedInvocations/), "Arn"],
      });
    }
  });
});

describe("schedules", () => {
  const schedules: Record<string, Json> = Object.fromEntries(
    ofType("AWS::Scheduler::Schedule").map(([, r]) => [r.Properties.Name as string, r.Properties]),
  );

  it("audits hourly (last N hours) and daily (previous days), carrying the scheduled time", () => {
    // Act
    const hourly = schedules["distill-audit-hourly-audit"];
    const daily = schedules["distill-audit-daily-audit"];

    // Assess
    expect(hourly.ScheduleExpression).toBe("cron(45 * * * ? *)");
    expect(daily.ScheduleExpression).toBe("cron(0 3 * * ? *)");
    for (const schedule of [hourly, daily]) {
      expect(schedule.ScheduleExpressionTimezone).toBe("Etc/UTC");
      expect(schedule.Target.Arn).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^AuditorAuditFunction/), "Arn"],
      });
      expect(schedule.Target.DeadLetterConfig.Arn).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^FailedInvocations/), "Arn"],
      });
    }
    expect(JSON.parse(hourly.Target.Input)).toEqual({
      kind: "scheduled",
      schedule: "hourly",
      scheduledTime: "<aws.scheduler.scheduled-time>",
      window: { hours: 6 },
    });
    expect(JSON.parse(daily.Target.Input)).toEqual({
      kind: "scheduled",
      schedule: "daily",
      scheduledTime: "<aws.scheduler.scheduled-time>",
      window: { days: 7 },
    });
  });

  it("compacts hourly ahead of the audit and seals the previous day with a forced recompaction", () => {
    // Act
    const hourly = schedules["distill-audit-hourly-compaction"];
    const seal = schedules["distill-audit-seal-compaction"];

    // Assess
    expect(hourly.ScheduleExpression).toBe("cron(35 * * * ? *)");
    expect(JSON.parse(hourly.Target.Input)).toMatchObject({ window: { hours: 1 } });
    expect(seal.ScheduleExpression).toBe("cron(15 1 * * ? *)");
    expect(JSON.parse(seal.Target.Input)).toMatchObject({ window: { days: 1 }, recompact: true });
    for (const schedule of [hourly, seal]) {
      expect(schedule.Target.Arn).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^FeatureCompactionCompactorFunction/), "Arn"],
      });
    }
  });

  it("leaves out disabled schedules", () => {
    // Act
    const varied = synth((c) => {
      c.schedules = { hourly: { enabled: false }, daily: { enabled: true } };
      c.compaction = { hourly: { enabled: false } };
    }).template;

    // Assess
    const names = Object.values(varied.findResources("AWS::Scheduler::Schedule")).map(
      (r) => r.Properties.Name,
    );
    expect(names.sort()).toEqual(["distill-audit-daily-audit", "distill-audit-seal-compaction"]);
  });
});

describe("buckets", () => {
  const buckets = ofType("AWS::S3::Bucket");
  const policies = ofType("AWS::S3::BucketPolicy").map(([, r]) => r.Properties);

  it("encrypts, blocks public access and denies non-TLS requests on every bucket", () => {
    expect(buckets.length).toBe(4);
    for (const [id, bucket] of buckets) {
      const sse =
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
      expect(["aws:kms", "AES256"]).toContain(sse.SSEAlgorithm);
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find((p) => p.Bucket.Ref === id);
      expect(policy?.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: "Deny",
            Action: "s3:*",
            Principal: { AWS: "*" },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      );
    }
  });

  it("keeps results versioned, KMS-encrypted, under Object Lock and a lifecycle", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      VersioningConfiguration: { Status: "Enabled" },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 365 } },
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: "expire-results",
            ExpirationInDays: 730,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          }),
        ]),
      },
    });
  });

  it("sets Object Lock in compliance mode when asked, and leaves it out when not configured", () => {
    // Act
    const compliance = synth((c) => {
      c.results = { objectLock: { mode: "COMPLIANCE", days: 90 } };
    }).template;
    const unlocked = synth((c) => {
      c.results = { objectLock: null };
    }).template;

    // Assess
    compliance.hasResourceProperties("AWS::S3::Bucket", {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 90 } } },
    });
    for (const bucket of Object.values(unlocked.findResources("AWS::S3::Bucket"))) {
      expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
      expect(bucket.Properties.ObjectLockConfiguration).toBeUndefined();
    }
    unlocked.hasResourceProperties("AWS::S3::Bucket", { VersioningConfiguration: { Status: "Enabled" } });
  });

  it("puts a projected Glue table over the findings history", () => {
    // Act
    const history = tableNamed("findings_history");

    // Assess
    expect(history.StorageDescriptor.Columns).toEqual(
      findingsHistoryColumns().map((c) => ({ Name: c.name, Type: c.type })),
    );
    expect(history.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      "org.openx.data.jsonserde.JsonSerDe",
    );
    expect(history.Parameters).toMatchObject({ "projection.enabled": "true", "projection.dt.type": "date" });
    expect(history.Parameters["storage.location.template"]).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection template syntax, not JS
      "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^ResultsBucket/) }, "/findings/dt=${dt}/"]],
    });
  });
});

describe("alerts", () => {
  it("encrypts both topics with KMS and accepts TLS only", () => {
    const topics = ofType("AWS::SNS::Topic").map(([, r]) => r.Properties);
    expect(topics.map((t) => t.TopicName).sort()).toEqual(["distill-audit-alerts", "distill-audit-ops"]);
    for (const topic of topics)
      expect(topic.KmsMasterKeyId).toEqual({ "Fn::GetAtt": [expect.stringMatching(/^AlertsKey/), "Arn"] });
    for (const [, policy] of ofType("AWS::SNS::TopicPolicy")) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  it("subscribes alert e-mails with a severity_rank filter at the configured minimum", () => {
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "security-oncall@example.com",
      TopicArn: { Ref: Match.stringLikeRegexp("^AlertsAlertTopic") },
      FilterPolicy: { severity_rank: [{ numeric: [">=", 3] }] },
    });
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Endpoint: "platform-oncall@example.com",
      TopicArn: { Ref: Match.stringLikeRegexp("^AlertsOpsTopic") },
      FilterPolicy: Match.absent(),
    });
  });

  it("lets CloudWatch alarms use the topics' key", () => {
    template.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          }),
        ]),
      },
    });
  });
});

describe("monitoring", () => {
  const alarms: Json[] = ofType("AWS::CloudWatch::Alarm").map(([id, r]) => ({ id, ...r.Properties }));
  const alarm = (idPrefix: string) => alarms.find((a) => (a.id as string).startsWith(idPrefix));

  it("alarms on errors, throttles and runs near the timeout of both functions", () => {
    for (const fn of ["Audit", "Compaction"]) {
      expect(alarm(`Monitoring${fn}Errors`)).toMatchObject({
        MetricName: "Errors",
        Namespace: "AWS/Lambda",
        Threshold: 1,
      });
      expect(alarm(`Monitoring${fn}Throttles`)).toMatchObject({ MetricName: "Throttles", Threshold: 1 });
      expect(alarm(`Monitoring${fn}NearTimeout`)).toMatchObject({
        MetricName: "Duration",
        Statistic: "Maximum",
        Threshold: 720_000,
      });
    }
  });

  it("fires the heartbeat when no audit succeeded within the interval, including when no data arrives", () => {
    expect(alarm("MonitoringAuditHeartbeat")).toMatchObject({
      Namespace: "DistillAudit",
      MetricName: "AuditSucceeded",
      Dimensions: [{ Name: "service", Value: "distill-audit" }],
      Statistic: "Sum",
      Period: 7200,
      ComparisonOperator: "LessThanThreshold",
      Threshold: 1,
      TreatMissingData: "breaching",
    });
  });

  it("alarms when the day's scanned bytes exceed the budget and when failed events wait", () => {
    expect(alarm("MonitoringScanBudget")).toMatchObject({
      MetricName: "BytesScanned",
      Period: 86_400,
      Threshold: 536_870_912_000,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm("MonitoringFailedInvocations")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
    });
  });

  it("sends every alarm to the ops topic and draws a dashboard", () => {
    expect(alarms).toHaveLength(9);
    for (const a of alarms)
      expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlertsOpsTopic/) }]);
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
  });

  it("widens the heartbeat to a day when only the daily audit runs", () => {
    // Act
    const varied = synth((c) => {
      c.schedules = { hourly: { enabled: false } };
    }).template;

    // Assess
    varied.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "AuditSucceeded", Period: 86_400 });
  });
});

describe("least privilege", () => {
  const audit = roleStatements(template, "AuditorAuditRole");
  const compact = roleStatements(template, "FeatureCompactionCompactorRole");
  const all = ofType("AWS::IAM::Policy").flatMap(
    ([, p]) => p.Properties.PolicyDocument.Statement as ReturnType<typeof roleStatements>,
  );

  it("grants no action on '*' resources and no service-wide actions", () => {
    for (const statement of all) {
      expect(resourcesOf(statement)).not.toContain("*");
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
    }
  });

  it("limits Athena to the workgroup and Glue to the deployment's database", () => {
    for (const statements of [audit, compact]) {
      const athena = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("athena:")));
      expect(athena.flatMap(resourcesOf)).toEqual([
        {
          "Fn::Join": [
            "",
            ["arn:", { Ref: "AWS::Partition" }, ":athena:eu-west-1:123456789012:workgroup/distill-audit"],
          ],
        },
      ]);
      const glue = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("glue:")));
      for (const resource of glue.flatMap(resourcesOf)) {
        const arn = JSON.stringify(resource);
        expect(arn).toMatch(
          /:glue:eu-west-1:123456789012:(catalog|database\/distill_audit|table\/distill_audit\/(requests|accounts|request_features|shared_frame_usage))"/,
        );
      }
      const writes = granting(statements, "glue:UpdatePartition")
        .flatMap(resourcesOf)
        .map((r) => JSON.stringify(r));
      expect(writes.filter((r) => r.includes(":table/"))).toEqual([
        expect.stringContaining("table/distill_audit/request_features"),
      ]);
    }
  });

  it("lets the audit function, not the compactor, write shared relation runs", () => {
    const writesShared = (statements: Json[]) =>
      granting(statements, "s3:PutObject")
        .flatMap(resourcesOf)
        .some((r) => JSON.stringify(r).includes("/shared/*"));
    expect(writesShared(audit)).toBe(true);
    expect(writesShared(compact)).toBe(false);
  });

  it("reads the log prefix only and never writes to the log bucket", () => {
    const reads = granting(audit, "s3:GetObject")
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.stringContaining("example-llm-gateway-logs/gateway/requests/*"),
        expect.stringContaining("example-llm-gateway-logs/gateway/accounts/*"),
      ]),
    );
    for (const statements of [audit, compact]) {
      for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
        const targets = granting(statements, action)
          .flatMap(resourcesOf)
          .map((r) => JSON.stringify(r));
        for (const target of targets) expect(target).not.toContain("example-llm-gateway-logs");
      }
    }
    expect(
      granting(audit, "s3:ListBucket").find((s) =>
        JSON.stringify(s.Resource).includes("example-llm-gateway-logs"),
      )?.Condition,
    ).toEqual({
      StringLike: { "s3:prefix": ["gateway/requests/*", "gateway/accounts/*"] },
    });
  });

  it("lets the auditor publish to the alert topic only and write results under its prefixes", () => {
    expect(granting(audit, "sns:Publish").flatMap(resourcesOf)).toEqual([
      { Ref: expect.stringMatching(/^AlertsAlertTopic/) },
    ]);
    const results = granting(audit, "s3:PutObject")
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r))
      .filter((r) => r.includes('"ResultsBucket'));
    expect(results.map((r) => /"(\/[a-z]+\/\*)"/.exec(r)?.[1]).sort()).toEqual([
      "/alerts/*",
      "/findings/*",
      "/locks/*",
      "/reports/*",
    ]);
  });

  it("keeps the compactor away from results and alerts", () => {
    expect(granting(compact, "sns:Publish")).toEqual([]);
    const touched = compact.flatMap(resourcesOf).map((r) => JSON.stringify(r));
    expect(touched.some((r) => r.includes('"ResultsBucket') || r.includes("AlertsAlertTopic"))).toBe(false);
  });

  it("lets Scheduler invoke exactly one function per role, trusting Scheduler for this account only", () => {
    const roles = ofType("AWS::IAM::Role").filter(([id]) => id.startsWith("Schedules"));
    expect(roles).toHaveLength(2);
    for (const [id, role] of roles) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
        Principal: { Service: "scheduler.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      });
      const invokes = granting(roleStatements(template, id), "lambda:InvokeFunction").flatMap(resourcesOf);
      const functions = new Set(
        invokes.map((r) => JSON.stringify(r).match(/"([A-Za-z0-9]+Function[A-Za-z0-9]+)"/)?.[1]),
      );
      expect(functions.size).toBe(1);
    }
  });
});
