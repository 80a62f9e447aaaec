import { z } from "zod";
import { type AuditWindow, isWholeHour } from "../../lib/engine/port.ts";
import { DAY_MS, HOUR_MS } from "../../lib/time.ts";

/**
 * What a handler can be invoked with, validated before anything runs:
 *   - a scheduled event (EventBridge Scheduler fills in `scheduledTime`), whose window is implied
 *     by the scheduled time, so replaying the event repeats the run exactly;
 *   - an explicit window `{from, to}` for backfills and replays.
 */
const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "lowercase letters, digits and hyphens");
const Instant = z.iso.datetime({ offset: true });
/** Forces fresh Athena executions (the tokens change) for a replay that must not reuse results. */
const Nonce = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
const MAX_WINDOW_DAYS = 31;

export const ScheduledEvent = z
  .object({
    kind: z.literal("scheduled").optional(),
    schedule: Name,
    scheduledTime: Instant,
    window: z.union([
      z.object({ hours: z.number().int().min(1).max(72) }).strict(),
      z.object({ days: z.number().int().min(1).max(MAX_WINDOW_DAYS) }).strict(),
    ]),
    recompact: z.boolean().default(false),
    nonce: Nonce.optional(),
  })
  .strict();

export const WindowEvent = z
  .object({
    kind: z.literal("window").optional(),
    from: Instant,
    to: Instant,
    schedule: Name.default("backfill"),
    recompact: z.boolean().default(false),
    nonce: Nonce.optional(),
  })
  .strict()
  .refine((e) => isWholeHour(new Date(e.from)), { message: "from must be a whole UTC hour", path: ["from"] })
  .refine((e) => isWholeHour(new Date(e.to)), { message: "to must be a whole UTC hour", path: ["to"] })
  .refine((e) => Date.parse(e.from) < Date.parse(e.to), { message: "from must be before to", path: ["to"] })
  .refine((e) => Date.parse(e.to) - Date.parse(e.from) <= MAX_WINDOW_DAYS * DAY_MS, {
    message: `a window spans at most ${MAX_WINDOW_DAYS} days; split longer backfills`,
    path: ["to"],
  });

export const InvocationEvent = z.union([ScheduledEvent, WindowEvent]);
export type InvocationEvent = z.infer<typeof InvocationEvent>;

export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
}

export interface ResolvedRun {
  readonly schedule: string;
  readonly window: AuditWindow;
  /** The scheduled time for scheduled runs; absent for explicit windows (the window end is used). */
  readonly asOf?: Date;
  readonly recompact: boolean;
  readonly nonce: string | null;
}

function floorTo(date: Date, unitMs: number): Date {
  return new Date(Math.floor(date.getTime() / unitMs) * unitMs);
}

/** Validates the event and turns it into the window to audit. */
export function resolveRun(raw: unknown): ResolvedRun {
  const parsed = InvocationEvent.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`)
      .join("; ");
    throw new InvalidEventError(
      `invalid event (${issues}); expected {schedule, scheduledTime, window: {hours}|{days}} or {from, to}`,
    );
  }
  const event = parsed.data;
  const base = { schedule: event.schedule, recompact: event.recompact, nonce: event.nonce ?? null };
  if ("from" in event) {
    return { ...base, window: { start: new Date(event.from), end: new Date(event.to) } };
  }
  const scheduledTime = new Date(event.scheduledTime);
  // Whole hours (or days) before the scheduled time: a run at 10:45 audits up to 10:00.
  const unit = "hours" in event.window ? HOUR_MS : DAY_MS;
  const count = "hours" in event.window ? event.window.hours : event.window.days;
  const end = floorTo(scheduledTime, unit);
  return { ...base, window: { start: new Date(end.getTime() - count * unit), end }, asOf: scheduledTime };
}
