import { vi } from "vitest";

/**
 * Silences the process's output for one test and returns what went to stderr so far. The spies
 * are undone by the test file's `vi.restoreAllMocks()`.
 */
export function captureStderr(): () => string {
  const chunks: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  return () => chunks.join("");
}
