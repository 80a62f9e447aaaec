import { z } from "zod";

/**
 * The shared vocabulary of detection: severities, evidence axes, signals, links and clusters.
 * Detectors produce these, scoring fuses them, findings report them; this module imports none of
 * those, so none of them depends on another through it.
 */

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, floor: Severity): boolean {
  return severityRank(severity) >= severityRank(floor);
}

/**
 * What a signal is evidence of. Signals within one axis are correlated (a busy automated product
 * is at once high-volume, around the clock, on hosting networks and at one temperature), so they
 * are fused within their axis under a cap; the axes are close to independent, so they are fused
 * with each other by noisy-OR.
 *
 * - harvest: what the traffic is for: eliciting reasoning traces, supplying answers for
 *   reconstruction, grading, capability targeting, dataset-shaped unique fills, maximised outputs.
 * - automation: how much and how mechanically: volume, cadence, constant sampling, hosting
 *   networks, new accounts.
 * - coordination: many accounts acting as one: shared cards, networks, templates, synchronized
 *   timing, rotation, proxies, pivots.
 */
export const EVIDENCE_AXES = ["harvest", "automation", "coordination"] as const;
export const EvidenceAxis = z.enum(EVIDENCE_AXES);
export type EvidenceAxis = z.infer<typeof EvidenceAxis>;

/** The evidence on each axis after its cap; a score fuses them by noisy-OR. */
export const AxisScores = z.record(EvidenceAxis, z.number().min(0).max(1));
export type AxisScores = z.infer<typeof AxisScores>;

/** One measured tell: what a detector saw, against which threshold, and what it added to the score. */
export const Signal = z.object({
  detector: z.string().describe("id of the detector that measured it"),
  name: z.string().describe("signal name within the detector"),
  axis: EvidenceAxis.describe("the evidence axis it belongs to: harvest, automation or coordination"),
  facet: z
    .string()
    .describe(
      "what it measures within its axis (e.g. elicitation, output_maximisation): signals of one facet are views of one fact, so only the strongest counts",
    ),
  value: z.number(),
  threshold: z.number(),
  weight: z.number().min(0),
  /** weight × strength, where strength in [0, 1] says how far past its threshold the value is. */
  contribution: z.number().min(0),
  fired: z.boolean(),
  explanation: z.string(),
});
export type Signal = z.infer<typeof Signal>;

export const LINK_TRAITS = [
  "payment_fingerprint",
  "network_hour",
  "user_agent",
  "skeleton",
  "system_prompt",
  "signup_burst",
  "disposable_heads",
] as const;

export const ClusterLink = z.object({
  trait: z.enum(LINK_TRAITS),
  value: z.string(),
  accounts: z.number().int().min(0),
  weight: z.number().min(0),
  base_rate: z
    .string()
    .nullable()
    .describe(
      "what the weight was measured against: how many accounts share the value, or the expected count",
    ),
});
export type ClusterLink = z.infer<typeof ClusterLink>;

/** What holds one member in its cluster: its links to other members, the strongest one's evidence
 *  of one operator and the traits behind that link. */
export const MemberAttachment = z.object({
  account: z.string(),
  ties: z.number().int().min(0).describe("links to other members"),
  strongest: z.number().min(0).max(1).describe("evidence of one operator carried by the strongest link"),
  traits: z.array(z.enum(LINK_TRAITS)).describe("the traits that strongest link shares"),
});
export type MemberAttachment = z.infer<typeof MemberAttachment>;

export interface Cluster {
  /** Stable id: derived from the cluster's strongest linking trait, not from its member list. */
  readonly id: string;
  readonly accounts: readonly string[];
  readonly links: readonly ClusterLink[];
  /**
   * Accounts tied to the cluster by account-table traits (same card, same sign-up burst) that sent
   * nothing in the window: reported and acted on with the cluster, not measured with it.
   */
  readonly dormant?: readonly string[];
  /**
   * Share of members that one operator's infrastructure (card, sign-up burst, network) ties to
   * another member, as the linkage stage measured it; absent on hand-built clusters.
   */
  readonly infrastructureShare?: number;
  /** What holds each member (the linkage stage's communities; absent on hand-built clusters). */
  readonly attachments?: readonly MemberAttachment[];
  /**
   * Accounts tied in too weakly to share the cluster's verdict (one weak link to it), sorted and
   * not among `accounts`: reported with the cluster for context, judged only on their own evidence.
   */
  readonly context?: readonly string[];
}

export interface AccountSignal {
  readonly account: string;
  readonly signal: Signal;
}

export interface ClusterSignal {
  readonly cluster: string;
  readonly signal: Signal;
}
