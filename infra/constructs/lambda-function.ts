import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Architecture, LoggingFormat } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  bundlingOptions,
  LAMBDA_AUDIT_CONFIG,
  LAMBDA_RUNTIME,
  LAMBDA_SQL_DIR,
  REPO_ROOT,
} from "../bundling.ts";

/** Metrics namespace and Powertools service name shared by the handlers and the alarms. */
export const METRICS_NAMESPACE = "DistillAudit";
export const SERVICE_NAME = "distill-audit";
const MAX_EVENT_AGE = Duration.hours(6);

export interface AuditLambdaProps {
  /** Handler source, relative to the repository root (e.g. "functions/audit.ts"). */
  readonly entry: string;
  readonly functionName: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
  readonly auditConfigPath: string | null;
  /** Where failed asynchronous invocations (after Lambda's retries) land, with their event. */
  readonly failureQueue: sqs.IQueue;
}

/**
 * A handler Lambda as every one of ours is built: nodejs24.x on arm64, bundled by local esbuild,
 * its own role (no AWS managed policies) and its own log group with a retention.
 */
export class AuditLambda extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: AuditLambdaProps) {
    super(scope, id);
    this.timeout = props.timeout;
    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.functionName}: ${props.description}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (which allows every log group): this one log group.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, "Function", {
      functionName: props.functionName,
      description: props.description,
      entry: `${REPO_ROOT}${props.entry}`,
      handler: "handler",
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      bundling: bundlingOptions(props.auditConfigPath),
      environment: {
        ...props.environment,
        DISTILL_AUDIT_SQL_DIR: LAMBDA_SQL_DIR,
        DISTILL_AUDIT_CONFIG_FILE: LAMBDA_AUDIT_CONFIG,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: "--enable-source-maps",
      },
      // Scheduled runs are deterministic per event, so retrying one is safe; after that the event
      // waits in the failure queue for a replay.
      retryAttempts: 2,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new SqsDestination(props.failureQueue),
    });
  }
}
