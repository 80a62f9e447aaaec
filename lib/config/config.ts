import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { Severity } from "../domain/signal.ts";
import { DEFAULT_MODELS, entriesNamedBy, withOverrides } from "./models.ts";

/**
 * The audit configuration: one typed, validated JSON file. Every field has a default, so an empty
 * file (or none) is a valid configuration. Detector thresholds are validated by each detector's
 * own schema (see lib/detectors/registry.ts), so a typo names the detector and the field.
 */
const ModelSchema = z
  .object({
    id: z.string().min(1),
    /** Other ids of the same model (undated alias, Bedrock id, inference profile, Vertex id). */
    aliases: z.array(z.string().min(1)).optional(),
    maxOutputTokens: z.number().int().positive(),
    /** Absent for models that take no thinking budget. */
    maxThinkingBudget: z.number().int().positive().optional(),
    releasedAt: z.union([z.iso.date(), z.iso.datetime()]).optional(),
  })
  .strict();

const DetectorSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Multiplies the detector's signal weights in the account score. */
    weight: z.number().min(0).max(5).default(1),
    thresholds: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type DetectorSettings = z.infer<typeof DetectorSettings>;

/**
 * How signals are fused into a score (lib/scoring/fuse.ts, lib/scoring/clusters.ts). Signals of one
 * evidence axis are correlated, so each axis adds at most its cap; the axes are fused by noisy-OR.
 * A score reaches medium only with harvest evidence of at least `min_harvest` and evidence on a
 * second axis: automation and coordination describe how traffic is sent, not what it is for.
 */
const AxisCaps = z
  .object({
    harvest: z.number().min(0).max(0.99).default(0.75),
    automation: z.number().min(0).max(0.99).default(0.25),
    coordination: z.number().min(0).max(0.99).default(0.55),
  })
  .strict();

const ClusterScoringSchema = z
  .object({
    /** Harvest tells are amplified only when the median member already scores this much alone. */
    amplify_min_member_score: z.number().min(0).max(1).default(0.2),
    /** Share of members a tell must fire on to start being amplified, and to be amplified fully. */
    alike_from: z.number().min(0).max(1).default(0.5),
    alike_full: z.number().min(0).max(1).default(0.9),
    /** Each doubling of the members sharing a tell (beyond two) adds this many observations... */
    observations_per_doubling: z.number().min(0).default(0.5),
    /** ...up to this many in all. */
    max_observations: z.number().min(1).default(4),
    /**
     * Measured members a harvest tell needs before the members its detector did not measure (below
     * its volume floor) inherit the measured members' verdict instead of counting as zero.
     */
    consensus_min_measured: z.number().int().min(1).default(3),
  })
  .strict()
  .refine((c) => c.alike_from < c.alike_full, { message: "alike_from must be below alike_full" });

const ScoringSchema = z
  .object({
    axis_caps: AxisCaps.default(AxisCaps.parse({})),
    min_harvest: z.number().min(0).max(1).default(0.1),
    cluster: ClusterScoringSchema.default(ClusterScoringSchema.parse({})),
  })
  .strict();
export type ScoringConfig = z.infer<typeof ScoringSchema>;

export const AuditConfigSchema = z
  .object({
    /**
     * Models added to the built-in catalogue (lib/config/models.ts), or overriding one of its
     * entries when the id or an alias names it. The parsed configuration holds the whole effective
     * catalogue, so the configuration hash covers the caps and dates the audit used.
     */
    models: z
      .array(ModelSchema)
      .superRefine((models, ctx) => {
        // One name must mean one model: release dates go to the engines as a map keyed by model
        // id, and an alias claimed by two entries would give a request two sets of caps.
        const owner = new Map<string, string>();
        for (const [index, model] of models.entries()) {
          for (const [position, name] of [model.id, ...(model.aliases ?? [])].entries()) {
            const previous = owner.get(name);
            if (previous !== undefined) {
              ctx.addIssue({
                code: "custom",
                path: position === 0 ? [index, "id"] : [index, "aliases", position - 1],
                message:
                  previous === model.id && position === 0
                    ? `model "${name}" is listed twice`
                    : `model "${name}" is listed twice (also under "${previous}")`,
              });
            }
            owner.set(name, model.id);
          }
          const named = entriesNamedBy(DEFAULT_MODELS, model);
          if (named.length > 1) {
            ctx.addIssue({
              code: "custom",
              path: [index, "id"],
              message: `model "${model.id}" names ${named.length} built-in models (${named.map((m) => m.id).join(", ")}): override each in its own entry`,
            });
          }
        }
      })
      .default([])
      .transform((models) => withOverrides(DEFAULT_MODELS, models)),
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
    scoring: ScoringSchema.default(ScoringSchema.parse({})),
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
