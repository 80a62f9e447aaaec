import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { type DeployConfigInput, parseDeployConfig } from "../../infra/config.ts";
import { DistillAuditStack } from "../../infra/stack.ts";

export const ENV = { account: "123456789012", region: "eu-west-1" } as const;

/** The documented example configuration, as JSON, for tests to vary. */
export function exampleConfig(): DeployConfigInput {
  return JSON.parse(readFileSync("infra/deploy.example.json", "utf8")) as DeployConfigInput;
}

export interface Synthesized {
  readonly stack: DistillAuditStack;
  readonly template: Template;
}

/**
 * Synthesizes the stack for assertions. Bundling is skipped (the bundle test really bundles) and
 * so is CDK's built-in CloudFormation schema validation (the nag test keeps it), which would make
 * every synthesis take seconds.
 */
export function synth(vary: (config: DeployConfigInput) => void = () => {}): Synthesized {
  const raw = exampleConfig();
  vary(raw);
  const config = parseDeployConfig(raw, "infra");
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] }, builtinCloudFormationValidation: false });
  const stack = new DistillAuditStack(app, "DistillAuditTest", { config, env: ENV });
  return { stack, template: Template.fromStack(stack) };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
  Sid?: string;
}

/** Every statement of the IAM policies attached to the role with this logical id prefix. */
export function roleStatements(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources("AWS::IAM::Policy");
  const statements: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
    if (roles.some((r) => r.startsWith(rolePrefix)))
      statements.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
  }
  return statements;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** The statements granting this action. */
export function granting(statements: Statement[], action: string): Statement[] {
  return statements.filter((s) => s.Effect === "Allow" && actionsOf(s).includes(action));
}
