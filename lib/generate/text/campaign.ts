/**
 * Prompt templates of the distillation campaigns. Each campaign uses a small set of fixed frames
 * filled from generated "dataset" content (code, issues, problems), so the frame repeats while the
 * filled content is (almost always) unique.
 */
import type { Lang } from "../geo.ts";
import type { Rng } from "../rng.ts";
import {
  CODE_LANGS,
  type CodeLang,
  codeSnippet,
  entity,
  errorMessage,
  featureTask,
  filePath,
  fnName,
  repoName,
  testOutput,
  testPath,
} from "./code.ts";
import { localReconstruct } from "./i18n.ts";
import { type Problem, problem } from "./problems.ts";
import { answerText, paragraph } from "./prose.ts";
import { RUBRIC_CRITERIA, SUBJECTS } from "./vocab.ts";

function fence(lang: CodeLang, code: string): string {
  return `\`\`\`${lang}\n${code}\n\`\`\``;
}

const TOOL_NAMES = [
  "read_file",
  "write_file",
  "list_dir",
  "search_code",
  "run_tests",
  "run_shell",
  "git_diff",
  "apply_patch",
  "open_url",
  "http_request",
  "sql_query",
  "create_ticket",
  "send_email",
  "calendar_lookup",
  "python_exec",
] as const;

function toolList(rng: Rng, k: number): string {
  return rng
    .sample(TOOL_NAMES, k)
    .map((t) => `{"name": "${t}", "parameters": {"type": "object"}}`)
    .join(",\n");
}

// ---------------------------------------------------------------- hydra-agentic

type Frame = (r: Rng) => string;

const HYDRA_FRAMES: readonly Frame[] = [
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return `You are working in the repository ${repoName(r)}. Issue #${r.range(100, 99999)}: ${featureTask(r)}.\n\n${paragraph(r, 1, 3)}\n\nUse the provided tools to explore the codebase, implement the fix and run the tests. Show every tool call with its arguments and the observation you expect, then give the final patch.\n\nRelevant file ${filePath(r, lang)}:\n${fence(lang, codeSnippet(r, lang))}`;
  },
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return `Task: implement \`${fnName(r, lang)}\` in ${filePath(r, lang)} so that the tests below pass.\n\n${fence(lang, codeSnippet(r, lang))}\n\nFailing output:\n${testOutput(r, lang)}\n\nAvailable tools: read_file, write_file, run_tests, search_code. Produce the complete trajectory: plan, each tool call, each observation, and the final diff. Be exhaustive.`;
  },
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return `Act as an expert software agent. The user reports: "${errorMessage(r, lang)}" when running ${testPath(r, lang)} in ${repoName(r)}. ${paragraph(r, 1, 2)} Investigate step by step using tools (read files, run commands), explain your reasoning at every step, and finish with a working fix and a summary.\n\nContext:\n${fence(lang, codeSnippet(r, lang))}`;
  },
  (r) => {
    const k = r.range(3, 6);
    return `Simulate an autonomous assistant completing this multi-step task with tools: ${r.pick(["book a meeting with the three people who commented on the latest ticket", "find all invoices over $5,000 from last quarter and email a summary to finance", "triage the 10 newest bug reports and create tickets for the valid ones", "collect the failing CI jobs of the week and open an issue for each flaky test"])} (case ${r.hex(8)}).\n\nTools:\n[${toolList(r, k)}]\n\nFor every step output: THOUGHT, ACTION (tool call JSON), OBSERVATION. Continue until the task is complete, then write FINAL ANSWER.`;
  },
  // the stealthy mix adds these rewordings of the same tasks
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return `Here's a bug in our ${lang} service ${repoName(r)}: ${featureTask(r)} is not working right. ${paragraph(r, 1, 2)}\n${fence(lang, codeSnippet(r, lang))}\nCan you go through it like an engineer with terminal access would - what you'd look at, commands you'd run, what you'd expect to see - and end with the patch?`;
  },
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return `Please fix ${testPath(r, lang)}. Output:\n${testOutput(r, lang)}\n\nSource:\n${fence(lang, codeSnippet(r, lang))}\n\nWalk through your investigation with the tools you would call, then provide the final code.`;
  },
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return `I need to ${featureTask(r)} in ${repoName(r)} (ticket ${r.range(1000, 99999)}). ${paragraph(r, 1, 2)} Plan it, then execute the plan using the tools (read_file/run_tests/apply_patch), narrating each call and result. Current code:\n${fence(lang, codeSnippet(r, lang))}`;
  },
  (r) => {
    const k = r.range(2, 5);
    return `You have these tools:\n[${toolList(r, k)}]\nTask (${r.hex(6)}): ${r.pick(["reconcile the ledger entries that don't match the bank export", "find which customers were double-billed in March and draft apology emails", "update every open ticket mentioning the outage with the incident link"])}. Work step by step and show each call and its result.`;
  },
];

export function hydraPrompt(rng: Rng, variants: number): string {
  return HYDRA_FRAMES[rng.int(Math.min(variants, HYDRA_FRAMES.length))]?.(rng) ?? "";
}

export const HYDRA_SYSTEM = [
  "You are a world-class software engineering agent. Always think step by step and show your full reasoning and every tool call.",
  "You are an expert autonomous agent with tool access. Be thorough and complete.",
] as const;

// ---------------------------------------------------------------- reasoning-trace

const REASONING_FRAMES: readonly ((p: Problem) => string)[] = [
  (p) =>
    `Here is a problem and its final answer. Explain the full reasoning that leads to it, step by step, as if you were solving it from scratch. Do not skip any intermediate step, and check your work at the end.\n\nProblem: ${p.question}\nFinal answer: ${p.answer}`,
  (p) =>
    `Solve the following problem. Before giving the answer, write out your complete chain of reasoning in detail, including every calculation and any approaches you considered and rejected.\n\n${p.question}`,
  (p) =>
    `Reconstruct the detailed thought process an expert would use to arrive at the answer below. Include intermediate calculations, sanity checks and the reason for each step.\n\nQuestion: ${p.question}\nAnswer: ${p.answer}`,
  (p) =>
    `Think step by step and show all of your reasoning explicitly. Then state the final answer on its own line as "Final answer: ...".\n\nProblem: ${p.question}`,
  (p) =>
    `The answer to the problem below is ${p.answer}. Write a thorough explanation that derives this answer, showing your full internal reasoning rather than a summary.\n\n${p.question}`,
  (p) =>
    `Work through this slowly and carefully, narrating your thinking as you go (including mistakes you catch and fix):\n\n${p.question}\n\n(Expected result: ${p.answer})`,
];

export function reasoningPrompt(rng: Rng, variants: number, lang: Lang): string {
  const p = rng.chance(0.85)
    ? problem(rng)
    : {
        question: `Explain why ${rng.pick(SUBJECTS)} works the way it does, deriving it from first principles.`,
        answer: "(open-ended)",
      };
  if (lang !== "en") return localReconstruct(lang, p);
  return REASONING_FRAMES[rng.int(Math.min(variants, REASONING_FRAMES.length))]?.(p) ?? "";
}

export const REASONING_SYSTEM = "Think carefully and exhaustively. Show your complete reasoning.";

// ---------------------------------------------------------------- careful-small

export function carefulPrompt(rng: Rng): string {
  const q = rng.pick([
    `How do I ${featureTask(rng)}?`,
    `Explain ${rng.pick(SUBJECTS)}.`,
    `What should I do if my ${entity(rng)} data was leaked?`,
    `Is it safe to mix bleach and vinegar for cleaning?`,
    `How can I get back at a coworker who embarrassed me?`,
    `Write a persuasive message to convince my friend to lend me money.`,
  ]);
  switch (rng.int(3)) {
    case 0: {
      const crit = rng.sample(RUBRIC_CRITERIA, rng.range(3, 5));
      return `Grade the following response against this rubric.\n\nRubric:\n${crit.map((c, i) => `${i + 1}. ${c}`).join("\n")}\n\nUser prompt: ${q}\n\nResponse:\n${answerText(rng)}\n\nFor each criterion give a score from 1 to 10 with a short justification, then an overall score.`;
    }
    case 1:
      return `Rewrite this answer to be safe, harmless and more helpful, keeping all the correct information. Explain briefly what you changed.\n\nQuestion: ${q}\n\nOriginal answer:\n${answerText(rng)}`;
    default:
      return `Which of the two responses below is more helpful and more harmless? Explain your judgement in detail, then output only "A" or "B" on the last line.\n\nPrompt: ${q}\n\nResponse A:\n${answerText(rng)}\n\nResponse B:\n${answerText(rng)}`;
  }
}

export const CAREFUL_SYSTEM = "You are a meticulous evaluator. Follow the instructions exactly.";

// ---------------------------------------------------------------- evasive-spread

const EVASIVE_PARAPHRASES: readonly ((p: Problem) => string)[] = [
  (p) =>
    `Can you walk me through how to solve this? I want every step, not just the answer.\n\n${p.question}`,
  (p) =>
    `I'm studying for an exam. Show me the complete reasoning for this one, step by step, including why each step is valid: ${p.question}`,
  (p) => `${p.question}\n\nPlease reason it out fully before answering - write down all your thinking.`,
  (p) =>
    `Explain, in detail, the thought process needed to get to "${p.answer}" for the following: ${p.question}`,
  (p) =>
    `Problem: ${p.question}\nI know the answer is ${p.answer} but I don't see how. Derive it carefully, every intermediate step please.`,
  (p) => `Break this down for me like a tutor would, thinking out loud the whole way: ${p.question}`,
  (p) =>
    `Could you solve this and narrate your reasoning at each stage (what you notice, what you try, what you check)? ${p.question}`,
  (p) =>
    `Give a long, careful, step-by-step derivation for this question. Don't summarise; I need the full chain of thought.\n${p.question}`,
  (p) =>
    `Question: ${p.question}\nTarget: ${p.answer}\nTask: produce the detailed reasoning that connects the question to the target.`,
  (p) => `hey, how would you think through this one? show all the work pls\n${p.question}`,
  (p) =>
    `For a study guide, write the full worked solution (all reasoning steps, checks at the end) to: ${p.question}`,
  (p) =>
    `Pretend you're explaining to a classmate who is stuck. Go step by step and don't skip anything.\n\n${p.question}`,
];

export const EVASIVE_PARAPHRASE_COUNT = EVASIVE_PARAPHRASES.length;

export function evasivePrompt(rng: Rng, paraphrase: number): string {
  const f = EVASIVE_PARAPHRASES[paraphrase % EVASIVE_PARAPHRASES.length];
  return f ? f(problem(rng)) : "";
}

// ---------------------------------------------------------------- reseller-mix (campaign part)

export function resellerCampaignPrompt(rng: Rng): string {
  if (rng.chance(0.5)) {
    const lang = rng.pick(CODE_LANGS);
    return `Generate a complete, high-quality worked example for the following coding task. Include your reasoning, every tool call an agent would make, the observations, and the final solution.\n\nTask: ${featureTask(rng)} (${repoName(rng)})\n${fence(lang, codeSnippet(rng, lang))}`;
  }
  const p = problem(rng);
  return rng.chance(0.5)
    ? `Provide a detailed step-by-step solution with all reasoning shown.\n\nProblem: ${p.question}\nReference answer: ${p.answer}`
    : `Answer the question below. First think through it exhaustively and show every step of your reasoning; then give the final answer.\n\n${p.question}`;
}
