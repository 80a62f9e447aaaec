import { App, type AppProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { type DeployConfig, loadDeployConfig } from "./config.ts";
import { DistillAuditStack } from "./stack.ts";

export const DEFAULT_CONFIG_PATH = "infra/deploy.example.json";

export interface BuiltApp {
  readonly app: App;
  readonly stack: DistillAuditStack;
  readonly config: DeployConfig;
}

/**
 * The CDK app: the deployment configuration named by `-c config=…` (default: the documented
 * example), the stack, and cdk-nag's AWS Solutions checks, which fail the synth on any
 * unacknowledged error.
 */
export function buildApp(appProps: AppProps = {}): BuiltApp {
  const app = new App(appProps);
  const configPath = (app.node.tryGetContext("config") as string | undefined) ?? DEFAULT_CONFIG_PATH;
  const config = loadDeployConfig(configPath);
  const stack = new DistillAuditStack(app, config.stackName, {
    config,
    description: "distill-audit: scheduled audits of LLM API request logs for distillation campaigns",
    env: {
      account: config.env.account ?? process.env.CDK_DEFAULT_ACCOUNT,
      region: config.env.region ?? process.env.CDK_DEFAULT_REGION,
    },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, config };
}
