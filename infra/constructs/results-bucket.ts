import { Duration, Stack } from "aws-cdk-lib";
import * as glue from "aws-cdk-lib/aws-glue";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { z } from "zod";
import { FINDINGS_SCHEMA_VERSION, Finding } from "../../lib/findings/model.ts";
import { hiveColumns, type JsonSchema } from "../glue-types.ts";
import { acknowledgeWildcardResources, OBJECT_PREFIX_REASON } from "../nag.ts";
import { secureBucket } from "./buckets.ts";
import { dtProjection, type LogLake, storageFormat } from "./log-lake.ts";

/**
 * Key prefixes the audit writes (lib/report/publish.ts): bundles, history, alert markers, and the
 * run lock that keeps two runs of one window from sending two digests (lib/store/run-lock.ts).
 */
export const RESULT_PREFIXES = ["reports/", "findings/", "alerts/", "locks/"] as const;
export const FINDINGS_HISTORY_TABLE = "findings_history";

export interface ObjectLockSettings {
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  readonly days: number;
}

export interface ResultsBucketProps {
  readonly logLake: LogLake;
  readonly encryptionKey: kms.IKey;
  readonly accessLogs: s3.IBucket;
  readonly retentionDays: number;
  readonly noncurrentVersionDays: number;
  readonly objectLock: ObjectLockSettings | null;
  /** First day of the history's partition projection range. */
  readonly firstDay: string;
}

/** Run fields each history line carries before the finding's own (lib/report/json.ts). */
const HISTORY_RUN_COLUMNS = [
  { name: "schema_version", type: "bigint" },
  { name: "run_id", type: "string" },
  { name: "schedule", type: "string" },
  { name: "window_start", type: "string" },
  { name: "window_end", type: "string" },
  { name: "generated_at", type: "string" },
  { name: "engine", type: "string" },
  { name: "code_version", type: "string" },
  { name: "config_sha256", type: "string" },
];

export function findingsHistoryColumns(): { name: string; type: string }[] {
  const schema = z.toJSONSchema(Finding, { target: "draft-2020-12", io: "output" }) as JsonSchema;
  return [...HISTORY_RUN_COLUMNS, ...hiveColumns(schema)];
}

/**
 * Where auditors find every run: versioned, KMS-encrypted, TLS-only, optionally under S3 Object
 * Lock, with a Glue table over the findings history so months of runs can be queried in Athena.
 */
export class ResultsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly historyTable: glue.CfnTable;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: ResultsBucketProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    const lock = props.objectLock;
    this.bucket = secureBucket(this, "Bucket", {
      encryptionKey: props.encryptionKey,
      accessLogs: props.accessLogs,
      accessLogPrefix: "results/",
      versioned: true,
      objectLockDefaultRetention:
        lock === null
          ? undefined
          : lock.mode === "COMPLIANCE"
            ? s3.ObjectLockRetention.compliance(Duration.days(lock.days))
            : s3.ObjectLockRetention.governance(Duration.days(lock.days)),
      lifecycleRules: [
        {
          id: "expire-results",
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays),
          expiredObjectDeleteMarker: false,
        },
      ],
    });

    this.historyTable = new glue.CfnTable(this, "FindingsHistoryTable", {
      catalogId: Stack.of(this).account,
      databaseName: props.logLake.databaseName,
      tableInput: {
        name: FINDINGS_HISTORY_TABLE,
        description: `Every finding of every run (findings/dt=YYYY-MM-DD/<run>.jsonl, schema v${FINDINGS_SCHEMA_VERSION})`,
        tableType: "EXTERNAL_TABLE",
        partitionKeys: [{ name: "dt", type: "string", comment: "UTC day of the run's window start" }],
        parameters: {
          classification: "json",
          ...dtProjection(props.firstDay, `s3://${this.bucket.bucketName}/findings/dt=\${dt}/`),
        },
        storageDescriptor: {
          columns: findingsHistoryColumns(),
          location: `s3://${this.bucket.bucketName}/findings/`,
          ...storageFormat("json"),
        },
      },
    });
    this.historyTable.addResourceDependency(props.logLake.database);
  }

  /**
   * Write bundles, history and alert markers. Reads are needed for "unchanged" checks and marker
   * state. ListBucket makes a missing key a 404 instead of a 403, so the store can tell "absent";
   * S3 evaluates it for HEAD/GET without an s3:prefix, so it cannot carry a prefix condition.
   */
  grantPublish(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "WriteResults",
        actions: ["s3:GetObject", "s3:PutObject"],
        resources: RESULT_PREFIXES.map((p) => this.bucket.arnForObjects(`${p}*`)),
      }),
    );
    acknowledgeWildcardResources(
      grantee,
      RESULT_PREFIXES.map((p) => this.bucket.arnForObjects(`${p}*`)),
      `Report bundles, history files, alert markers and run locks are keyed by run id and finding id. ${OBJECT_PREFIX_REASON}`,
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ListResults",
        actions: ["s3:ListBucket"],
        resources: [this.bucket.bucketArn],
      }),
    );
    this.key.grant(grantee, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
  }
}
