import { z } from "zod";

/** The settings infra/ passes to the functions; checked once per cold start. */
const Common = z.object({
  AWS_REGION: z.string().min(1),
  ATHENA_WORKGROUP: z.string().min(1),
  GLUE_DATABASE: z.string().min(1),
  FEATURES_BUCKET: z.string().min(3),
  FEATURES_PREFIX: z.string(),
  LOG_BUCKET: z.string().min(3),
  LOG_PREFIX: z.string(),
  SETTLE_MINUTES: z.coerce.number().int().min(0).default(15),
  DISTILL_AUDIT_CONFIG_FILE: z.string().min(1).optional(),
});

export const CompactEnvironment = Common;
export type CompactEnvironment = z.infer<typeof CompactEnvironment>;

export const AuditEnvironment = Common.extend({
  RESULTS_BUCKET: z.string().min(3),
  ALERT_TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/),
});
export type AuditEnvironment = z.infer<typeof AuditEnvironment>;

export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";
}

export function readEnvironment<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv = process.env): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", ");
    throw new EnvironmentError(`missing or invalid environment variables: ${names}`);
  }
  return parsed.data;
}
