/** The stages of publishing at which test/faults/kill-entry.ts kills the CLI. */
export const KILL_STAGES = [
  "lock", // the run lock taken, nothing of the bundle written
  "bundle-temp", // the first bundle file's temporary file written, not yet renamed into place
  "manifest", // the bundle written but its manifest
  "claim", // the first alert marker claimed, the others not
  "claimed", // every marker claimed, none marked sending
  "sending", // every marker marked sending, the digest not yet handed to the notifier
  "sent", // the digest delivered, no marker confirmed
  "confirm", // the digest delivered, one marker confirmed
  "release", // everything confirmed, the run lock not released
] as const;
export type KillStage = (typeof KILL_STAGES)[number];
