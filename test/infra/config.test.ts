import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DeployConfigError,
  heartbeatHours,
  loadDeployConfig,
  parseDeployConfig,
} from "../../infra/config.ts";
import { ConfigError } from "../../lib/config/config.ts";
import { exampleConfig } from "./support.ts";

describe("deployment configuration", () => {
  it("accepts the documented example and loads its audit configuration", () => {
    // Act
    const config = loadDeployConfig("infra/deploy.example.json");

    // Assess
    expect(config.logs).toEqual({
      bucket: "example-llm-gateway-logs",
      prefix: "gateway/",
      format: "json",
      firstDay: "2026-01-01",
    });
    expect(config.results.objectLock).toEqual({ mode: "GOVERNANCE", days: 365 });
    expect(config.auditConfigPath).toMatch(/infra\/audit\.example\.json$/);
    expect(config.audit.alerts.min_severity).toBe("medium");
    expect(heartbeatHours(config)).toBe(2);
  });

  it("fills defaults for everything but the log location", () => {
    // Act
    const config = parseDeployConfig(
      { logs: { bucket: "logs-bucket", format: "parquet", firstDay: "2025-06-01" } },
      ".",
    );

    // Assess
    expect(config.schedules.hourly).toEqual({ enabled: true, minute: 45, windowHours: 6 });
    expect(config.schedules.daily).toEqual({ enabled: true, hourUtc: 3, minute: 0, lookbackDays: 7 });
    expect(config.results.objectLock).toBeNull();
    expect(config.auditConfigPath).toBeNull();
    expect(config.alerts.minSeverity).toBe("high");
  });

  it.each([
    [
      "a bucket name that is not one",
      (c: ReturnType<typeof exampleConfig>) => {
        c.logs.bucket = "Logs_Bucket";
      },
      /logs\.bucket: must be an S3 bucket name/,
    ],
    [
      "a prefix without its slash",
      (c: ReturnType<typeof exampleConfig>) => {
        c.logs.prefix = "gateway";
      },
      /logs\.prefix: must be empty or end with "\/"/,
    ],
    [
      "an unknown field",
      (c: ReturnType<typeof exampleConfig>) => {
        (c as Record<string, unknown>).logBucket = "x";
      },
      /logBucket/,
    ],
    [
      "a retention shorter than the lock",
      (c: ReturnType<typeof exampleConfig>) => {
        c.results = { retentionDays: 30, objectLock: { mode: "COMPLIANCE", days: 365 } };
      },
      /retentionDays must be at least objectLock\.days/,
    ],
    [
      "no audit schedule at all",
      (c: ReturnType<typeof exampleConfig>) => {
        c.schedules = { hourly: { enabled: false }, daily: { enabled: false } };
      },
      /enable at least one audit schedule/,
    ],
    [
      "an e-mail that is not one",
      (c: ReturnType<typeof exampleConfig>) => {
        c.alerts = { emails: ["security team"] };
      },
      /alerts\.emails\.0/,
    ],
  ])("rejects %s, naming the field", (_what, vary, message) => {
    // Prepare
    const raw = exampleConfig();
    vary(raw);

    // Act
    const parse = () => parseDeployConfig(raw, "infra");

    // Assess
    expect(parse).toThrow(DeployConfigError);
    expect(parse).toThrow(message);
  });

  it("validates the audit configuration at synth time, naming the detector", () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), "deploy-config-"));
    writeFileSync(
      join(dir, "audit.json"),
      JSON.stringify({ detectors: { volume: { thresholds: { min_requests: -1 } } } }),
    );
    const raw = { ...exampleConfig(), auditConfigFile: "audit.json" };

    // Act
    const parse = () => parseDeployConfig(raw, dir);

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/detectors\.volume\.thresholds\.min_requests/);
  });
});
