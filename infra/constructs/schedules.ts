import { Duration, Stack, TimeZone } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { acknowledgeWildcardResources } from "../nag.ts";

export interface SchedulesProps {
  readonly auditFunction: lambda.IFunction;
  readonly compactFunction: lambda.IFunction;
  /** Events Scheduler could not deliver (after its retries). */
  readonly deadLetterQueue: sqs.IQueue;
  readonly namePrefix: string;
  readonly hourlyAudit: { readonly enabled: boolean; readonly minute: number; readonly windowHours: number };
  readonly dailyAudit: {
    readonly enabled: boolean;
    readonly hourUtc: number;
    readonly minute: number;
    readonly lookbackDays: number;
  };
  readonly hourlyCompaction: { readonly enabled: boolean; readonly minute: number };
  readonly sealCompaction: { readonly hourUtc: number; readonly minute: number };
}

/**
 * The event a schedule sends: the scheduled time (filled in by Scheduler for each run) and the
 * window it implies, so a run depends only on its event and replaying the event repeats the run.
 */
export function scheduledInput(
  schedule: string,
  window: { hours: number } | { days: number },
  force = false,
) {
  return scheduler.ScheduleTargetInput.fromObject({
    kind: "scheduled",
    schedule,
    scheduledTime: scheduler.ContextAttribute.scheduledTime,
    window,
    ...(force ? { recompact: true } : {}),
  });
}

/**
 * EventBridge Scheduler, in UTC (audit windows are UTC days and hours): feature compaction ahead of
 * the audits, an hourly audit of the last hours, a daily audit of the previous days.
 */
export class Schedules extends Construct {
  readonly schedules: scheduler.Schedule[] = [];

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const roles = new Map<lambda.IFunction, iam.Role>();
    // One role per function, trusted only by Scheduler acting for this account (no confused deputy).
    const roleFor = (fn: lambda.IFunction, name: string) => {
      let role = roles.get(fn);
      if (!role) {
        role = new iam.Role(this, `${name}InvokeRole`, {
          assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
            conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
          }),
          description: `EventBridge Scheduler invokes ${name}`,
        });
        acknowledgeWildcardResources(
          role,
          [`${fn.functionArn}:*`],
          "Lambda's invoke grant covers the function's versions and aliases (ARN:*); the role can invoke this one function only.",
        );
        roles.set(fn, role);
      }
      return role;
    };
    const invoke = (fn: lambda.IFunction, input: scheduler.ScheduleTargetInput) =>
      new targets.LambdaInvoke(fn, {
        role: roleFor(fn, fn === props.auditFunction ? "Audit" : "Compaction"),
        input,
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      });
    const add = (
      name: string,
      description: string,
      expression: scheduler.ScheduleExpression,
      target: targets.LambdaInvoke,
    ) =>
      this.schedules.push(
        new scheduler.Schedule(this, name, {
          scheduleName: `${props.namePrefix}-${name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`,
          description,
          schedule: expression,
          target,
        }),
      );
    const utc = TimeZone.ETC_UTC;

    if (props.hourlyCompaction.enabled) {
      add(
        "HourlyCompaction",
        "Compacts the feature stage of the last hour's day",
        scheduler.ScheduleExpression.cron({ minute: String(props.hourlyCompaction.minute), timeZone: utc }),
        invoke(props.compactFunction, scheduledInput("compact-hourly", { hours: 1 })),
      );
    }
    add(
      "SealCompaction",
      "Recompacts the previous day once late log deliveries have arrived",
      scheduler.ScheduleExpression.cron({
        minute: String(props.sealCompaction.minute),
        hour: String(props.sealCompaction.hourUtc),
        timeZone: utc,
      }),
      invoke(props.compactFunction, scheduledInput("compact-seal", { days: 1 }, true)),
    );
    if (props.hourlyAudit.enabled) {
      add(
        "HourlyAudit",
        `Audits the last ${props.hourlyAudit.windowHours} hours`,
        scheduler.ScheduleExpression.cron({ minute: String(props.hourlyAudit.minute), timeZone: utc }),
        invoke(props.auditFunction, scheduledInput("hourly", { hours: props.hourlyAudit.windowHours })),
      );
    }
    if (props.dailyAudit.enabled) {
      add(
        "DailyAudit",
        `Audits the previous ${props.dailyAudit.lookbackDays} day(s)`,
        scheduler.ScheduleExpression.cron({
          minute: String(props.dailyAudit.minute),
          hour: String(props.dailyAudit.hourUtc),
          timeZone: utc,
        }),
        invoke(props.auditFunction, scheduledInput("daily", { days: props.dailyAudit.lookbackDays })),
      );
    }
  }
}
