import type { z } from "zod";
import type { ModelCatalogue } from "../config/catalogue.ts";
import type { AuditConfig } from "../config/config.ts";
import type { AccountSignal, Cluster, ClusterSignal } from "../domain/signal.ts";
import type { AuditWindow, PreparedWindow, QueryEngine, QueryStats } from "../engine/port.ts";

/**
 * A detector is one self-contained unit: its query (lib/detectors/<id>/<id>.sql), its thresholds
 * with defaults, its scoring, its rationale and runbook. The SQL aggregates; the code explains.
 *
 * Stages run in order: `account` detectors measure each account; `linkage` detectors join accounts
 * into clusters; `cluster` detectors measure the clusters the linkage stage found.
 */
export type DetectorStage = "account" | "linkage" | "cluster";

export interface DetectorContext {
  readonly engine: QueryEngine;
  readonly window: AuditWindow;
  readonly config: AuditConfig;
  /** Caps and release dates by model id, alias-aware, with caps inferred for unknown models. */
  readonly models: ModelCatalogue;
  readonly prepared: PreparedWindow;
  /** Share of accepted requests carrying each optional field. */
  readonly coverage: Readonly<Record<string, number>>;
  /** Clusters found by the linkage stage; empty before it. */
  readonly clusters: readonly Cluster[];
}

export interface DetectorResult {
  readonly accountSignals: readonly AccountSignal[];
  readonly clusterSignals?: readonly ClusterSignal[];
  /** Only the linkage stage returns clusters. */
  readonly clusters?: readonly Cluster[];
  /** What the detector ran without (a missing table or field), reported with its run. */
  readonly notes?: readonly string[];
  readonly stats: readonly QueryStats[];
}

export interface Requirements {
  /** Optional request fields without which the detector cannot measure anything. */
  readonly fields?: readonly string[];
  readonly accounts?: boolean;
}

export interface Detector<T extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly title: string;
  readonly stage: DetectorStage;
  /** What it measures and why that indicates distillation. */
  readonly rationale: string;
  /** Honest customers that look like this, and how the detector keeps them apart. */
  readonly benignLookalikes: string;
  /** What an analyst does when it fires. */
  readonly runbook: readonly string[];
  /** Thresholds with defaults; configuration overrides are validated against it. */
  readonly thresholds: T;
  readonly requires: Requirements;
  run(context: DetectorContext, thresholds: z.infer<T>): Promise<DetectorResult>;
}

/** Declares a detector with its threshold type inferred from its schema. */
export function defineDetector<T extends z.ZodType>(detector: Detector<T>): Detector<T> {
  return detector;
}
