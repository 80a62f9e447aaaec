import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { Severity } from "../findings/model.ts";
import { DEFAULT_MODELS } from "./models.ts";

/**
 * The audit configuration: one typed, validated JSON file. Every field has a default, so an empty
 * file (or none) is a valid configuration. Detector thresholds are validated by each detector's
 * own schema (see lib/detectors/registry.ts), so a typo names the detector and the field.
 */
const ModelSchema = z.object({
  id: z.string().min(1),
  maxOutputTokens: z.number().int().positive(),
  maxThinkingBudget: z.number().int().positive(),
  releasedAt: z.iso.datetime().optional(),
});

const DetectorSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Multiplies the detector's signal weights in the account score. */
    weight: z.number().min(0).max(5).default(1),
    thresholds: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type DetectorSettings = z.infer<typeof DetectorSettings>;

export const AuditConfigSchema = z
  .object({
    models: z
      .array(ModelSchema)
      .min(1)
      .superRefine((models, ctx) => {
        // Release dates go to the engines as a map keyed by model id, which refuses repeated keys.
        const seen = new Set<string>();
        for (const [index, model] of models.entries()) {
          if (seen.has(model.id)) {
            ctx.addIssue({
              code: "custom",
              path: [index, "id"],
              message: `model "${model.id}" is listed twice`,
            });
          }
          seen.add(model.id);
        }
      })
      .default([...DEFAULT_MODELS]),
    detectors: z.record(z.string(), DetectorSettings).default({}),
    severity: z
      .object({
        /** Lowest score of each severity; below `low` a subject gets no finding. */
        low: z.number().min(0).max(1).default(0.25),
        medium: z.number().min(0).max(1).default(0.45),
        high: z.number().min(0).max(1).default(0.65),
        critical: z.number().min(0).max(1).default(0.85),
      })
      .strict()
      .refine((s) => s.low < s.medium && s.medium < s.high && s.high < s.critical, {
        message: "severity cut-offs must increase: low < medium < high < critical",
      })
      .default({ low: 0.25, medium: 0.45, high: 0.65, critical: 0.85 }),
    allowlist: z
      .object({
        /** Known partners and research programmes: never reported. */
        accounts: z.array(z.string()).default([]),
        /** Skeleton hashes (hex) of known-good templates: ignored by template detectors. */
        skeletons: z.array(z.string().regex(/^[0-9a-f]{1,16}$/)).default([]),
        /** User agents of known partners: ignored by linkage. */
        user_agents: z.array(z.string()).default([]),
      })
      .strict()
      .default({ accounts: [], skeletons: [], user_agents: [] }),
    report: z
      .object({
        /** Include short redacted template excerpts in reports (never in alerts). */
        excerpts: z.boolean().default(true),
        excerpt_chars: z.number().int().min(0).max(200).default(120),
      })
      .strict()
      .default({ excerpts: true, excerpt_chars: 120 }),
    alerts: z
      .object({
        min_severity: Severity.default("medium"),
        max_findings: z.number().int().min(1).max(200).default(15),
      })
      .strict()
      .default({ min_severity: "medium", max_findings: 15 }),
  })
  .strict();

export type AuditConfig = z.infer<typeof AuditConfigSchema>;

export class ConfigError extends Error {}

/** Turns zod issues into one line per problem, each naming the field path. */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map(
      (issue) =>
        `  ${[prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(root)"}: ${issue.message}`,
    )
    .join("\n");
}

export function parseConfig(raw: unknown, source = "configuration"): AuditConfig {
  const parsed = AuditConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(`${source} is invalid:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function loadConfig(path?: string): AuditConfig {
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses.
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, `config file ${path}`);
}

/** Hash of the effective configuration (defaults applied), recorded in every report. */
export function configSha256(config: AuditConfig): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
