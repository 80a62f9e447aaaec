import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

/**
 * The baseline every bucket of this stack gets: KMS encryption with an S3 bucket key (one KMS call
 * per object batch, not per object), TLS-only access, public access blocked, ACLs disabled,
 * server access logs, and incomplete multipart uploads cleaned up.
 */
export interface SecureBucketProps {
  readonly encryptionKey: kms.IKey;
  readonly accessLogs: s3.IBucket;
  readonly accessLogPrefix: string;
  readonly lifecycleRules?: s3.LifecycleRule[];
  readonly versioned?: boolean;
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;
  readonly removalPolicy?: RemovalPolicy;
}

export function secureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: props.versioned ?? false,
    objectLockEnabled: props.objectLockDefaultRetention !== undefined ? true : undefined,
    objectLockDefaultRetention: props.objectLockDefaultRetention,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: props.accessLogPrefix,
    lifecycleRules: [
      { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ...(props.lifecycleRules ?? []),
    ],
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
}

/** The target of every bucket's server access logs (SSE-S3: S3 log delivery cannot use SSE-KMS). */
export function accessLogsBucket(scope: Construct, id: string, retentionDays: number): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(retentionDays) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
