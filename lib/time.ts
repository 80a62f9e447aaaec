/** Time units in milliseconds, shared by the audit, the reports and the traffic generator. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
