import type { z } from "zod";
import { type AuditConfig, ConfigError, describeIssues } from "../config/config.ts";
import type { Detector } from "./types.ts";
import { volume } from "./volume/volume.ts";

/** Every detector, in the order it runs within its stage. Adding one: its folder plus a line here. */
export const DETECTORS: readonly Detector[] = [volume];

export interface ConfiguredDetector {
  readonly detector: Detector;
  readonly thresholds: unknown;
  /** Multiplies the detector's signal weights. */
  readonly weight: number;
}

/**
 * Applies the configuration to the registry: drops disabled detectors and validates each
 * detector's threshold overrides against its own schema, naming the detector and field on error.
 */
export function configuredDetectors(config: AuditConfig): ConfiguredDetector[] {
  const known = new Set(DETECTORS.map((d) => d.id));
  const unknown = Object.keys(config.detectors).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown detector(s) in config: ${unknown.join(", ")}; known: ${[...known].join(", ")}`,
    );
  }
  return DETECTORS.flatMap((detector) => {
    const settings = config.detectors[detector.id];
    if (settings && !settings.enabled) return [];
    const parsed = (detector.thresholds as z.ZodType).safeParse(settings?.thresholds ?? {});
    if (!parsed.success) {
      throw new ConfigError(
        `config detectors.${detector.id}.thresholds is invalid:\n${describeIssues(parsed.error, `detectors.${detector.id}.thresholds`)}`,
      );
    }
    return [{ detector, thresholds: parsed.data, weight: settings?.weight ?? 1 }];
  });
}
