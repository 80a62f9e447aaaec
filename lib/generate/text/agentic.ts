/** Messages inside a coding agent's loop: tool results and user nudges (benign coding agents). */
import type { Rng } from "../rng.ts";
import {
  type CodeLang,
  codeSnippet,
  errorMessage,
  featureTask,
  filePath,
  grepOutput,
  testOutput,
} from "./code.ts";

export function agentToolResult(rng: Rng, lang: CodeLang): string {
  switch (rng.int(7)) {
    case 0:
      return `<tool_result name="read_file" path="${filePath(rng, lang)}">\n${codeSnippet(rng, lang)}\n\n${codeSnippet(rng, lang)}\n\n${codeSnippet(rng, lang)}\n</tool_result>`;
    case 1:
      return `<tool_result name="run_tests">\n${testOutput(rng, lang)}\n</tool_result>`;
    case 6:
      return `<tool_result name="read_file" path="${filePath(rng, lang)}">\n${codeSnippet(rng, lang)}\n</tool_result>\n<tool_result name="run_tests">\n${testOutput(rng, lang)}\n</tool_result>`;
    case 2:
      return `<tool_result name="grep">\n${grepOutput(rng, lang)}\n</tool_result>\n<tool_result name="read_file" path="${filePath(rng, lang)}">\n${codeSnippet(rng, lang)}\n</tool_result>`;
    case 3:
      return `<tool_result name="apply_patch">Patch applied to ${filePath(rng, lang)} (+${rng.range(1, 80)} -${rng.range(0, 40)})\n${codeSnippet(rng, lang)}</tool_result>`;
    case 4:
      return `<tool_result name="bash" exit_code="${rng.chance(0.7) ? 0 : 1}">\n${rng.chance(0.5) ? errorMessage(rng, lang) : testOutput(rng, lang)}\n</tool_result>`;
    default:
      return rng.pick([
        "looks good, continue",
        "no, don't change the public API",
        `also ${featureTask(rng)} while you're at it`,
        "can you run the linter too?",
        "stop, revert that last change",
        "ok commit it",
      ]);
  }
}

export const AGENT_SYSTEM_PROMPTS = [
  "You are a coding agent working in the user's repository. Use the tools to read files, run commands and apply patches. Make minimal, focused changes and run the tests before finishing.",
  "You are an AI pair programmer running in a terminal. Prefer small diffs. Ask before deleting files. Always explain what you changed.",
  "You are an autonomous software engineering assistant. Work step by step: inspect, plan, edit, test. Keep the user informed with short status updates.",
] as const;
