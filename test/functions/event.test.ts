import { describe, expect, it } from "vitest";
import { InvalidEventError, resolveRun } from "../../functions/shared/event.ts";

describe("invocation events", () => {
  it("turns a scheduled hourly event into the last whole hours before the scheduled time", () => {
    // Act
    const run = resolveRun({
      kind: "scheduled",
      schedule: "hourly",
      scheduledTime: "2026-02-16T10:45:12Z",
      window: { hours: 6 },
    });

    // Assess
    expect(run).toEqual({
      schedule: "hourly",
      window: { start: new Date("2026-02-16T04:00:00Z"), end: new Date("2026-02-16T10:00:00Z") },
      asOf: new Date("2026-02-16T10:45:12Z"),
      recompact: false,
      nonce: null,
    });
  });

  it("turns a daily event into the whole days before the scheduled day, whatever its offset", () => {
    // Act
    const run = resolveRun({
      schedule: "daily",
      scheduledTime: "2026-02-17T04:00:00+01:00",
      window: { days: 7 },
    });

    // Assess
    expect(run.window).toEqual({
      start: new Date("2026-02-10T00:00:00Z"),
      end: new Date("2026-02-17T00:00:00Z"),
    });
  });

  it("takes an explicit window for backfills, named 'backfill' unless told otherwise", () => {
    // Act
    const run = resolveRun({
      from: "2026-02-01T00:00:00Z",
      to: "2026-02-08T00:00:00Z",
      recompact: true,
      nonce: "r2",
    });

    // Assess
    expect(run).toEqual({
      schedule: "backfill",
      window: { start: new Date("2026-02-01T00:00:00Z"), end: new Date("2026-02-08T00:00:00Z") },
      recompact: true,
      nonce: "r2",
    });
  });

  it.each([
    [{ from: "2026-02-08T00:00:00Z", to: "2026-02-01T00:00:00Z" }, /to: from must be before to/],
    [{ from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z" }, /at most 31 days/],
    [{ from: "2026-02-01T00:30:00Z", to: "2026-02-02T00:00:00Z" }, /from: from must be a whole UTC hour/],
    [{ from: "2026-02-01T00:00:00Z", to: "2026-02-02T00:00:01Z" }, /to: to must be a whole UTC hour/],
    [{ schedule: "hourly", scheduledTime: "2026-02-16T10:45:00Z", window: { hours: 0 } }, /window/],
    [{ schedule: "Hourly!", scheduledTime: "2026-02-16T10:45:00Z", window: { hours: 1 } }, /schedule/],
    [
      { schedule: "hourly", scheduledTime: "2026-02-16T10:45:00Z", window: { hours: 1 }, extra: 1 },
      /extra|Unrecognized/,
    ],
    [null, /invalid event/],
  ])("rejects %j", (event, message) => {
    expect(() => resolveRun(event)).toThrow(InvalidEventError);
    expect(() => resolveRun(event)).toThrow(message);
  });
});
