import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { type AuditLambda, METRICS_NAMESPACE, SERVICE_NAME } from "./lambda-function.ts";

export interface MonitoringProps {
  readonly auditLambda: AuditLambda;
  readonly compactLambda: AuditLambda;
  readonly failureQueue: sqs.IQueue;
  readonly opsTopic: sns.ITopic;
  /** No successful audit for this long is an outage. */
  readonly heartbeatHours: number;
  /** Bytes the audits and compaction may scan per UTC day before someone should look. */
  readonly dailyScanBudgetBytes: number;
  readonly dashboardName: string;
}

/** A metric the handlers emit through Powertools (EMF), with its default `service` dimension. */
export function serviceMetric(
  metricName: string,
  statistic: string,
  period: Duration,
  extra: Record<string, string> = {},
) {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, ...extra },
    statistic,
    period,
  });
}

/**
 * Alarms to the ops topic (errors, throttles, runs close to their timeout, a missing heartbeat,
 * scan volume above budget, events waiting in the failure queue) and a small dashboard.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.opsTopic);
    const alarm = (name: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, name, alarmProps);
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };

    for (const [label, fnConstruct] of [
      ["Audit", props.auditLambda],
      ["Compaction", props.compactLambda],
    ] as const) {
      const fn = fnConstruct.function;
      alarm(`${label}Errors`, {
        alarmDescription: `${fn.functionName} failed (see its logs; failed events wait in the failure queue)`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${label}Throttles`, {
        alarmDescription: `${fn.functionName} was throttled (account concurrency exhausted?)`,
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${label}NearTimeout`, {
        alarmDescription: `${fn.functionName} ran for over 80% of its timeout: the next larger window may not finish`,
        metric: fn.metricDuration({ period: Duration.minutes(5), statistic: "Maximum" }),
        threshold: Math.round(fnConstruct.timeout.toMilliseconds() * 0.8),
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    alarm("AuditHeartbeat", {
      alarmDescription: `No audit succeeded in the last ${props.heartbeatHours} hour(s)`,
      metric: serviceMetric("AuditSucceeded", "Sum", Duration.hours(props.heartbeatHours)),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data points at all is exactly what a heartbeat alarm is for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm("ScanBudget", {
      alarmDescription: `Athena scanned more than ${props.dailyScanBudgetBytes} bytes for audits and compaction in a day`,
      metric: serviceMetric("BytesScanned", "Sum", Duration.days(1)),
      threshold: props.dailyScanBudgetBytes,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm("FailedInvocations", {
      alarmDescription:
        "Events of failed runs are waiting in the failure queue; replay them after fixing the cause",
      metric: props.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const audit = props.auditLambda.function;
    const compact = props.compactLambda.function;
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Successful runs",
        left: [
          serviceMetric("AuditSucceeded", "Sum", Duration.hours(1)),
          serviceMetric("CompactionSucceeded", "Sum", Duration.hours(1)),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Findings by severity",
        stacked: true,
        left: ["critical", "high", "medium", "low"].map((severity) =>
          serviceMetric("Findings", "Sum", Duration.hours(1), { severity }).with({ label: severity }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Bytes scanned per day",
        left: [serviceMetric("BytesScanned", "Sum", Duration.days(1))],
        leftAnnotations: [{ value: props.dailyScanBudgetBytes, label: "budget" }],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Duration (max)",
        left: [
          audit.metricDuration({ statistic: "Maximum" }),
          compact.metricDuration({ statistic: "Maximum" }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Errors and throttles",
        left: [
          audit.metricErrors(),
          compact.metricErrors(),
          audit.metricThrottles(),
          compact.metricThrottles(),
        ],
        width: 8,
      }),
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 8 }),
    );
  }
}
