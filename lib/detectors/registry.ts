import type { z } from "zod";
import { type AuditConfig, ConfigError, describeIssues } from "../config/config.ts";
import { accessPath } from "./access_path/access_path.ts";
import { cadence } from "./cadence/cadence.ts";
import { capability } from "./capability/capability.ts";
import { clusterHarvest } from "./cluster_harvest/cluster_harvest.ts";
import { datasetShape } from "./dataset_shape/dataset_shape.ts";
import { harvestSlice } from "./harvest_slice/harvest_slice.ts";
import { linkage } from "./linkage/linkage.ts";
import { modelPivot } from "./model_pivot/model_pivot.ts";
import { outputMax } from "./output_max/output_max.ts";
import { reasoning } from "./reasoning/reasoning.ts";
import { syncTiming } from "./sync_timing/sync_timing.ts";
import { templateConcentration } from "./template_concentration/template_concentration.ts";
import { templateSpread } from "./template_spread/template_spread.ts";
import type { Detector } from "./types.ts";
import { volume } from "./volume/volume.ts";

/** Every detector, in the order it runs within its stage. Adding one: its folder plus a line here. */
export const DETECTORS: readonly Detector[] = [
  volume,
  cadence,
  templateConcentration,
  templateSpread,
  reasoning,
  capability,
  datasetShape,
  outputMax,
  harvestSlice,
  modelPivot,
  accessPath,
  linkage,
  syncTiming,
  clusterHarvest,
];

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
