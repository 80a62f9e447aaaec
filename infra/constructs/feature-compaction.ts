import { Duration, Stack } from "aws-cdk-lib";
import * as glue from "aws-cdk-lib/aws-glue";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { FEATURE_COLUMNS, FEATURES_PARTITION_KEY, FEATURES_TABLE } from "../../lib/engine/athena/features.ts";
import {
  SHARED_PARTITION_KEY,
  SHARED_PREFIX,
  SHARED_RELATION_COLUMNS,
  sharedTable,
} from "../../lib/engine/athena/shared.ts";
import { acknowledgeWildcardResources, OBJECT_PREFIX_REASON } from "../nag.ts";
import { secureBucket } from "./buckets.ts";
import { AuditLambda } from "./lambda-function.ts";
import { type LogLake, storageFormat } from "./log-lake.ts";
import type { QueryEngine } from "./query-engine.ts";

export const FEATURES_PREFIX = "features/";

export interface FeatureCompactionProps {
  readonly logLake: LogLake;
  readonly queryEngine: QueryEngine;
  readonly encryptionKey: kms.IKey;
  readonly accessLogs: s3.IBucket;
  readonly retentionDays: number;
  readonly settleMinutes: number;
  readonly functionName: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly auditConfigPath: string | null;
  readonly failureQueue: sqs.IQueue;
}

/**
 * The compact `request_features` table (Parquet, one Glue partition per day, written by Athena
 * UNLOAD into generation folders; see lib/engine/athena/features.ts for the protocol) and the
 * scheduled Lambda that keeps it ahead of the audits. Detectors scan this table, never prompt text.
 * Beside it, a table per shared relation (lib/engine/athena/shared.ts): each audit writes its run
 * once, and the detectors that use it read that run.
 */
export class FeatureCompaction extends Construct {
  readonly bucket: s3.Bucket;
  readonly table: glue.CfnTable;
  readonly sharedTables: glue.CfnTable[];
  readonly lambda: AuditLambda;
  private readonly props: FeatureCompactionProps;

  constructor(scope: Construct, id: string, props: FeatureCompactionProps) {
    super(scope, id);
    this.props = props;
    this.bucket = secureBucket(this, "FeaturesBucket", {
      encryptionKey: props.encryptionKey,
      accessLogs: props.accessLogs,
      accessLogPrefix: "features/",
      lifecycleRules: [
        {
          id: "expire-old-features",
          prefix: FEATURES_PREFIX,
          expiration: Duration.days(props.retentionDays),
        },
        // A run is read only by the audit that wrote it.
        { id: "expire-shared-relations", prefix: SHARED_PREFIX, expiration: Duration.days(1) },
      ],
    });
    this.table = new glue.CfnTable(this, "FeaturesTable", {
      catalogId: Stack.of(this).account,
      databaseName: props.logLake.databaseName,
      tableInput: {
        name: FEATURES_TABLE,
        description:
          "Compact per-request features (lib/sql/features.sql); partitions committed by the compactor",
        tableType: "EXTERNAL_TABLE",
        partitionKeys: [{ name: FEATURES_PARTITION_KEY, type: "string", comment: "UTC day, YYYY-MM-DD" }],
        parameters: { classification: "parquet", "parquet.compression": "ZSTD" },
        storageDescriptor: {
          columns: FEATURE_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
          location: `s3://${this.bucket.bucketName}/${FEATURES_PREFIX}`,
          ...storageFormat("parquet"),
        },
      },
    });
    this.table.addResourceDependency(props.logLake.database);
    this.sharedTables = Object.entries(SHARED_RELATION_COLUMNS).map(([relation, columns]) => {
      const location = `s3://${this.bucket.bucketName}/${SHARED_PREFIX}${relation}/`;
      const table = new glue.CfnTable(this, `SharedTable-${relation}`, {
        catalogId: Stack.of(this).account,
        databaseName: props.logLake.databaseName,
        tableInput: {
          name: sharedTable(relation),
          description: `Shared relation ${relation}: one run per audit, written by UNLOAD`,
          tableType: "EXTERNAL_TABLE",
          partitionKeys: [
            { name: SHARED_PARTITION_KEY, type: "string", comment: "the audit run that wrote it" },
          ],
          // Injected projection: a query names its run, so no partition is ever registered.
          parameters: {
            classification: "parquet",
            "projection.enabled": "true",
            [`projection.${SHARED_PARTITION_KEY}.type`]: "injected",
            "storage.location.template": `${location}${SHARED_PARTITION_KEY}=\${${SHARED_PARTITION_KEY}}/`,
          },
          storageDescriptor: {
            columns: columns.map((c) => ({ name: c.name, type: c.type })),
            location,
            ...storageFormat("parquet"),
          },
        },
      });
      table.addResourceDependency(props.logLake.database);
      return table;
    });

    this.lambda = new AuditLambda(this, "Compactor", {
      entry: "functions/compact.ts",
      functionName: props.functionName,
      description: "Runs the feature stage into the compact request_features table",
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: this.environment(),
      auditConfigPath: props.auditConfigPath,
      failureQueue: props.failureQueue,
    });
    this.grantCompact(this.lambda.role);
  }

  /** The settings every function that reads (and may compact) features needs. */
  environment(): Record<string, string> {
    return {
      ATHENA_WORKGROUP: this.props.queryEngine.workGroupName,
      GLUE_DATABASE: this.props.logLake.databaseName,
      FEATURES_BUCKET: this.bucket.bucketName,
      FEATURES_PREFIX,
      LOG_BUCKET: this.props.logLake.logBucket.bucketName,
      LOG_PREFIX: this.props.logLake.prefix,
      SETTLE_MINUTES: String(this.props.settleMinutes),
    };
  }

  /** Query the logs, write feature generations and commit their partitions. */
  grantCompact(grantee: iam.IGrantable): void {
    const { logLake, queryEngine } = this.props;
    queryEngine.grantQuery(grantee);
    logLake.grantRead(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "CommitFeaturePartitions",
        actions: [
          "glue:GetTable",
          "glue:GetPartition",
          "glue:GetPartitions",
          "glue:BatchGetPartition",
          "glue:CreatePartition",
          "glue:UpdatePartition",
        ],
        resources: [logLake.catalogArn(), logLake.databaseArn(), logLake.tableArn(FEATURES_TABLE)],
      }),
    );
    this.grantUnloadTarget(grantee, FEATURES_PREFIX, {
      writeSid: "WriteFeatureGenerations",
      listSid: "ListFeatureGenerations",
      folder: "a new generation folder per day",
    });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "LocateFeaturesBucket",
        actions: ["s3:GetBucketLocation"],
        resources: [this.bucket.bucketArn],
      }),
    );
    this.props.encryptionKey.grant(grantee, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
  }

  /** Write each shared relation's run for an audit, and read it back through its table. */
  grantSharedRelations(grantee: iam.IGrantable): void {
    const { logLake } = this.props;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ReadSharedRelationTables",
        actions: ["glue:GetTable"],
        resources: [
          logLake.catalogArn(),
          logLake.databaseArn(),
          ...Object.keys(SHARED_RELATION_COLUMNS).map((r) => logLake.tableArn(sharedTable(r))),
        ],
      }),
    );
    this.grantUnloadTarget(grantee, SHARED_PREFIX, {
      writeSid: "WriteSharedRelationRuns",
      listSid: "ListSharedRelationRuns",
      folder: "a new run folder per audit",
    });
  }

  /** Write, read back and list the objects under a prefix that Athena UNLOADs into. */
  private grantUnloadTarget(
    grantee: iam.IGrantable,
    prefix: string,
    names: { writeSid: string; listSid: string; folder: string },
  ): void {
    const objects = this.bucket.arnForObjects(`${prefix}*`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: names.writeSid,
        actions: [
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
        ],
        resources: [objects],
      }),
    );
    acknowledgeWildcardResources(
      grantee,
      [objects],
      `UNLOAD writes Parquet files named by Athena into ${names.folder}. ${OBJECT_PREFIX_REASON}`,
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: names.listSid,
        actions: ["s3:ListBucket"],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { "s3:prefix": [`${prefix}*`] } },
      }),
    );
  }
}
