import { Stack } from "aws-cdk-lib";
import * as glue from "aws-cdk-lib/aws-glue";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { ACCOUNT_FIELDS, glueColumns, REQUEST_FIELDS } from "../../lib/schema/log-schema.ts";
import { acknowledgeWildcardResources } from "../nag.ts";

export type LogFormat = "json" | "parquet";

export interface LogLakeProps {
  /** Glue database holding every table of the deployment. */
  readonly databaseName: string;
  /** The existing log bucket (imported: this stack never changes it). */
  readonly bucketName: string;
  /** Root of the log layout: <prefix>requests/dt=YYYY-MM-DD/… and <prefix>accounts/…. */
  readonly prefix: string;
  readonly format: LogFormat;
  /** First day of the partition projection range. */
  readonly firstDay: string;
  readonly kmsKeyArn?: string;
}

/** Storage formats as Glue spells them. JSON uses the OpenX SerDe so a malformed line becomes a NULL row instead of failing the query. */
export function storageFormat(
  format: LogFormat,
): Pick<glue.CfnTable.StorageDescriptorProperty, "inputFormat" | "outputFormat" | "serdeInfo"> {
  if (format === "json") {
    return {
      inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      serdeInfo: {
        serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
        parameters: { "ignore.malformed.json": "true", "case.insensitive": "true" },
      },
    };
  }
  return {
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serdeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
  };
}

/**
 * Partition projection on `dt`: Athena computes partition locations from the template, so new days
 * need no crawler, no MSCK REPAIR and no Glue partition writes.
 */
export function dtProjection(firstDay: string, locationTemplate: string): Record<string, string> {
  return {
    "projection.enabled": "true",
    "projection.dt.type": "date",
    "projection.dt.format": "yyyy-MM-dd",
    "projection.dt.range": `${firstDay},NOW`,
    "projection.dt.interval": "1",
    "projection.dt.interval.unit": "DAYS",
    "storage.location.template": locationTemplate,
  };
}

/** The Glue database and the `requests`/`accounts` tables over the existing request logs. */
export class LogLake extends Construct {
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly requestsTable: glue.CfnTable;
  readonly accountsTable: glue.CfnTable;
  readonly logBucket: s3.IBucket;
  readonly prefix: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LogLakeProps,
  ) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.databaseName = props.databaseName;
    this.prefix = props.prefix;
    this.logBucket = s3.Bucket.fromBucketName(this, "LogBucket", props.bucketName);
    this.database = new glue.CfnDatabase(this, "Database", {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description: "distill-audit: request logs, compact features and findings history",
      },
    });
    const root = `s3://${props.bucketName}/${props.prefix}`;
    const format = storageFormat(props.format);
    const classification = props.format === "json" ? "json" : "parquet";

    this.requestsTable = new glue.CfnTable(this, "RequestsTable", {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: "requests",
        description: "API request logs (schema: lib/schema/log-schema.ts REQUEST_FIELDS)",
        tableType: "EXTERNAL_TABLE",
        partitionKeys: [
          { name: "dt", type: "string", comment: "UTC day the request was logged, YYYY-MM-DD" },
        ],
        parameters: {
          classification,
          ...dtProjection(props.firstDay, `${root}requests/dt=\${dt}/`),
        },
        storageDescriptor: {
          columns: glueColumns(REQUEST_FIELDS),
          location: `${root}requests/`,
          ...format,
        },
      },
    });
    this.requestsTable.addResourceDependency(this.database);

    this.accountsTable = new glue.CfnTable(this, "AccountsTable", {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: "accounts",
        description: "Optional account records (schema: lib/schema/log-schema.ts ACCOUNT_FIELDS)",
        tableType: "EXTERNAL_TABLE",
        parameters: { classification },
        storageDescriptor: {
          columns: glueColumns(ACCOUNT_FIELDS),
          location: `${root}accounts/`,
          ...format,
        },
      },
    });
    this.accountsTable.addResourceDependency(this.database);
  }

  catalogArn(): string {
    return Stack.of(this).formatArn({ service: "glue", resource: "catalog" });
  }

  databaseArn(): string {
    return Stack.of(this).formatArn({
      service: "glue",
      resource: "database",
      resourceName: this.databaseName,
    });
  }

  tableArn(table: string): string {
    return Stack.of(this).formatArn({
      service: "glue",
      resource: "table",
      resourceName: `${this.databaseName}/${table}`,
    });
  }

  /** What Athena needs, as the querying role, to read the log tables. */
  grantRead(grantee: iam.IGrantable): void {
    const bucketArn = this.logBucket.bucketArn;
    const logObjects = [`${bucketArn}/${this.prefix}requests/*`, `${bucketArn}/${this.prefix}accounts/*`];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ReadLogTables",
        actions: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions"],
        resources: [
          this.catalogArn(),
          this.databaseArn(),
          this.tableArn("requests"),
          this.tableArn("accounts"),
        ],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ReadLogObjects",
        actions: ["s3:GetObject"],
        resources: logObjects,
      }),
    );
    acknowledgeWildcardResources(
      grantee,
      logObjects,
      "Athena reads the log files as the querying role; their keys are written by the API gateway, so only the " +
        "requests/ and accounts/ prefixes can be named. Read-only.",
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ListLogPrefixes",
        actions: ["s3:ListBucket"],
        resources: [bucketArn],
        conditions: {
          StringLike: { "s3:prefix": [`${this.prefix}requests/*`, `${this.prefix}accounts/*`] },
        },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "LocateLogBucket",
        actions: ["s3:GetBucketLocation"],
        resources: [bucketArn],
      }),
    );
    if (this.props.kmsKeyArn) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: "DecryptLogObjects",
          actions: ["kms:Decrypt"],
          resources: [this.props.kmsKeyArn],
          conditions: { StringEquals: { "kms:ViaService": `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
  }
}
