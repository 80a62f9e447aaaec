import { describe, expect, it } from "vitest";
import { request } from "../support/logs.ts";
import { auditLogs, logRoot } from "./support.ts";

describe("faults: timestamps", () => {
  it("accepts only RFC 3339 timestamps with a zone, and rejects the rest by reason", async () => {
    // Prepare
    const logs = logRoot({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            request({ request_id: "z", ts: "2026-02-16T10:00:00Z" }),
            request({ request_id: "ms", ts: "2026-02-16T10:00:00.123Z" }),
            request({ request_id: "offset", ts: "2026-02-16T12:00:00+02:00" }),
            request({ request_id: "no-zone", ts: "2026-02-16T10:00:00" }),
            request({ request_id: "space", ts: "2026-02-16 10:00:00Z" }),
            request({ request_id: "date-only", ts: "2026-02-16" }),
            request({ request_id: "month-13", ts: "2026-13-16T10:00:00Z" }),
          ],
        },
      },
    });
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["ms", "offset", "z"]);
    expect(quality.rejected).toEqual({ invalid_timestamp: 4 });
    expect(quality.requests_read).toBe(7);
  });

  it("rejects a record whose time is not its partition's day, whichever side it falls", async () => {
    // Prepare
    const logs = logRoot({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            request({ request_id: "ok", ts: "2026-02-16T23:59:59Z" }),
            request({ request_id: "epoch", ts: "1970-01-01T00:00:00Z" }),
            request({ request_id: "far", ts: "9999-12-31T23:59:59Z" }),
            // 00:30 at +01:00 is 23:30 of the previous day in UTC
            request({ request_id: "offset-back", ts: "2026-02-16T00:30:00+01:00" }),
            request({ request_id: "next-day", ts: "2026-02-17T00:00:00Z" }),
          ],
        },
      },
    });
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["ok"]);
    expect(quality.rejected).toEqual({ ts_outside_partition: 4 });
    expect(quality.requests_read).toBe(5);
  });

  it("counts the valid records of a scanned partition outside the window, without auditing them", async () => {
    // Prepare
    const logs = logRoot({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            request({ request_id: "early", ts: "2026-02-16T05:59:59Z" }),
            request({ request_id: "in", ts: "2026-02-16T06:00:00Z" }),
            request({ request_id: "late", ts: "2026-02-16T12:00:00Z" }),
          ],
        },
      },
    });
    // Act
    const { quality, audited } = await auditLogs(logs, {
      start: new Date("2026-02-16T06:00:00Z"),
      end: new Date("2026-02-16T12:00:00Z"),
    });
    // Assess
    expect(audited).toEqual(["in"]);
    expect(quality.outside_window).toBe(2);
    expect(quality.rejected).toEqual({});
    expect(quality.requests_read).toBe(3);
  });
});
