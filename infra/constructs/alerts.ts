import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

export interface AlertsProps {
  readonly topicNamePrefix: string;
  /** Receive alert digests (each address confirms the subscription by e-mail first). */
  readonly emails: readonly string[];
  /** Digests reach e-mail only when their `severity_rank` attribute is at least this. */
  readonly minSeverityRank: number;
  /** Receive alarms and failed-invocation notices. */
  readonly opsEmails: readonly string[];
}

/** The attribute lib/report/digest.ts sets on every digest, and subscriptions filter on. */
export const SEVERITY_RANK_ATTRIBUTE = "severity_rank";

/**
 * Two KMS-encrypted topics: alerts (findings digests, for security analysts, filtered by severity)
 * and ops (alarms, for whoever runs the deployment). Separate so that an analyst's filter policy
 * can never hide an outage, and an outage never floods the analysts.
 */
export class Alerts extends Construct {
  readonly key: kms.Key;
  readonly alertTopic: sns.Topic;
  readonly opsTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      description: "distill-audit: encrypts the alert and ops topics",
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted ops topic as the CloudWatch service.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowCloudWatchAlarmsToPublish",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.alertTopic = new sns.Topic(this, "AlertTopic", {
      topicName: `${props.topicNamePrefix}-alerts`,
      displayName: "distill-audit alerts",
      masterKey: this.key,
      enforceSSL: true,
    });
    this.opsTopic = new sns.Topic(this, "OpsTopic", {
      topicName: `${props.topicNamePrefix}-ops`,
      displayName: "distill-audit ops",
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) {
      this.alertTopic.addSubscription(
        new subscriptions.EmailSubscription(email, {
          filterPolicy: {
            [SEVERITY_RANK_ATTRIBUTE]: sns.SubscriptionFilter.numericFilter({
              greaterThanOrEqualTo: props.minSeverityRank,
            }),
          },
        }),
      );
    }
    for (const email of props.opsEmails)
      this.opsTopic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
