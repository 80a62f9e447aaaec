/**
 * Text of the `adversarial` mix: paraphrase banks for campaign system prompts and instructions,
 * instructions placed after the question, elicitation worded without the usual "step by step"
 * vocabulary, and the honest look-alikes (white-label templates, agency client apps, long-form
 * writing, tutoring).
 *
 * Banks are built by combining short parts, so a campaign can give each account (or each request)
 * its own wording while the meaning stays the same; no fixed phrase is shared by all of them.
 */
import type { Rng } from "../rng.ts";
import { CODE_LANGS, codeSnippet, featureTask, repoName } from "./code.ts";
import { type Problem, problem } from "./problems.ts";
import { paragraph } from "./prose.ts";
import { FIRST_NAMES, GENRES, POEM_TOPICS, PRODUCTS, STORY_SETTINGS, SUBJECTS } from "./vocab.ts";

// ---------------------------------------------------------------- campaign system prompts

const SYS_OPEN = ["You are", "Act as", "Take the role of", "Behave like", "Your role is", "Play"] as const;
const SYS_ROLE = [
  "a meticulous mathematics mentor",
  "an exacting quantitative analyst",
  "a patient olympiad coach",
  "a rigorous logic instructor",
  "a careful science explainer",
  "a demanding proof checker",
  "a thorough exam marker who documents everything",
  "an engineering professor preparing worked examples",
] as const;
const SYS_RULE = [
  "Never leave an inference implicit.",
  "Every claim needs its justification written out.",
  "Leave no gap between the premises and the result.",
  "Treat brevity as a defect.",
  "Make each transition explicit before moving on.",
  "Write as if the reader will audit every line.",
] as const;
const SYS_CLOSE = [
  "End with the result on its own line.",
  "Close with a one-line verdict.",
  "Finish by restating the result.",
  "Put the result last, after everything else.",
  "",
] as const;

/** A campaign system prompt; `k` picks one of many combinations (each account its own k). */
export function paraphrasedSystem(k: number): string {
  const parts = [SYS_OPEN, SYS_ROLE, SYS_RULE, SYS_CLOSE] as const;
  const chosen: string[] = [];
  let x = k;
  for (const bank of parts) {
    chosen.push(bank[x % bank.length] as string);
    x = Math.floor(x / bank.length);
  }
  const [open, role, rule, close] = chosen;
  return `${open} ${role}. ${rule}${close === "" ? "" : ` ${close}`}`;
}

/** How many distinct campaign system prompts the bank can give. */
export const SYSTEM_VARIANTS = SYS_OPEN.length * SYS_ROLE.length * SYS_RULE.length * SYS_CLOSE.length;

// ---------------------------------------------------------------- instructions at the tail

const TAIL_VERB = [
  "Lay out",
  "Spell out",
  "Write down",
  "Set out",
  "Put on paper",
  "Document",
  "Make explicit",
  "List",
] as const;
const TAIL_OBJECT = [
  "every deduction you make",
  "each inference in order",
  "all of the intermediate results",
  "the whole derivation",
  "each move and why it is legitimate",
  "the complete sequence of deductions",
  "every calculation, however small",
] as const;
const TAIL_END = [
  "before you commit to a result.",
  "and leave nothing implicit.",
  "- do not jump ahead.",
  "from the premises to the result.",
  "as you would on a whiteboard.",
  "and only then state the result.",
] as const;

/**
 * An instruction that goes after the question: "{question}\n\n{instruction}". Worded without the
 * phrases a lexicon of reasoning requests usually lists (step by step, think, show your work,
 * reasoning, chain of thought, walk me through, explain).
 */
export function tailInstruction(rng: Rng): string {
  return `${rng.pick(TAIL_VERB)} ${rng.pick(TAIL_OBJECT)} ${rng.pick(TAIL_END)}`;
}

/** The question first, the instruction last (where a head-only template hash never looks). */
export function withTail(question: string, instruction: string): string {
  return `${question}\n\n${instruction}`;
}

/** A harvesting request: a dataset problem, sometimes with its expected result, then the tail. */
export function tailHarvestPrompt(rng: Rng): string {
  const p = problem(rng);
  const q = rng.chance(0.35) ? `${p.question}\n(Expected result: ${p.answer}.)` : p.question;
  return withTail(q, tailInstruction(rng));
}

// ---------------------------------------------------------------- rotating hydra templates

/** The rotating hydra keeps two templates for every account it burns through. */
export const ROTATING_TEMPLATES: readonly ((r: Rng) => string)[] = [
  (r) => {
    const lang = r.pick(CODE_LANGS);
    return withTail(
      `Ticket ${r.range(1000, 99999)} in ${repoName(r)}: ${featureTask(r)}.\n${paragraph(r, 1, 2)}\n\n\`\`\`${lang}\n${codeSnippet(r, lang)}\n\`\`\``,
      r.pick([
        "Write out the full investigation, every command with its output, and the final patch.",
        "Document the whole investigation: each command, each output, each decision, then the patch.",
      ]),
    );
  },
  (r) => {
    const p = problem(r);
    return withTail(
      p.question,
      r.pick([
        "Spell out every intermediate result and the rule that produced it.",
        "Write out every intermediate result and the rule behind it.",
      ]),
    );
  },
];

export const ROTATING_SYSTEMS = [
  "Complete answers only. Omit nothing between the question and the result.",
  "Answers must contain the full derivation. Omit nothing.",
] as const;

// ---------------------------------------------------------------- aged slow harvest

const AGED_ASKS: readonly ((p: Problem) => string)[] = [
  (p) => `${p.question}\n\nDon't hand me only the result; I want to see every inference on the way there.`,
  (p) => `I'm checking a textbook. ${p.question} Please lay out the derivation in full, nothing skipped.`,
  (p) => `${p.question}\n\nThe book says ${p.answer}. Account for how one gets there, line by line.`,
  (p) => `Could you unpack this one completely, every intermediate quantity included? ${p.question}`,
  (p) => `${p.question}\n\nGo slowly and narrate each deduction as you make it.`,
  (p) => `Before the result, set down all the working for this: ${p.question}`,
  (p) => `${p.question}\n\nI need the long version - each calculation and why it is allowed.`,
];

/** Elicitation from aged accounts, in everyday words the usual cue lists lack. */
export function agedPrompt(rng: Rng): string {
  const p = rng.chance(0.85)
    ? problem(rng)
    : { question: `Why does ${rng.pick(SUBJECTS)} behave the way it does?`, answer: "(open)" };
  return (rng.pick(AGED_ASKS) as (p: Problem) => string)(p);
}

// ---------------------------------------------------------------- honest look-alikes

/**
 * White-label plugin templates: unrelated shops install the same plugin, so the same system prompt
 * and frame arrive from many companies, each filled with its own customers' messages.
 */
export const WHITE_LABEL_TEMPLATES = [
  {
    kind: "ticket" as const,
    system: "You are a customer support assistant for an online store. Be polite and concise.",
    frame: (c: string) =>
      `Draft a reply to the customer message below. Use a friendly tone, apologise where appropriate and propose one concrete next step.\n\nCustomer message:\n${c}`,
  },
  {
    kind: "review" as const,
    system: "You write short review summaries for product pages.",
    frame: (c: string) =>
      `Summarise this customer review for the product page in two sentences, then list pros and cons as bullet points.\n\nReview:\n${c}`,
  },
] as const;

const CLIENT_TASKS = [
  ["ticket", "Sort this customer email into sales, support or billing and write a one-line summary"],
  ["ticket", "Reply to this guest message on behalf of the front desk, warmly and briefly"],
  ["review", "Turn this review into a short testimonial we may quote, keeping the customer's meaning"],
  ["review", "Tell me whether this review mentions delivery, quality or price, and how it feels about each"],
  ["extract", "Read this invoice and return the total, the due date and the supplier as JSON"],
  ["extract", "Pull the line items and quantities out of this document for our stock sheet"],
] as const;

/** One of an agency's client apps: its own system prompt and task, per client. */
export function clientTemplate(
  rng: Rng,
  client: string,
): { kind: "ticket" | "review" | "extract"; system: string; frame: (c: string) => string } {
  const [kind, task] = rng.pick(CLIENT_TASKS);
  const tone = rng.pick(["Keep it short.", "Be friendly.", "Use plain language.", "Stay factual."]);
  return {
    kind,
    system: `You work for ${client}. ${tone}`,
    frame: (c: string) => `${task}.\n\n${c}`,
  };
}

/** A long-form writing product: chapters, reports and articles that take the whole output cap. */
export function longformPrompt(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return `Write chapter ${rng.range(2, 24)} of my ${rng.pick(GENRES)} novel set in ${rng.pick(STORY_SETTINGS)}. The main character is ${rng.pick(FIRST_NAMES)}. Previous chapter summary: ${paragraph(rng, 2, 4)} Make it at least ${rng.pick([3000, 4000, 5000])} words, with dialogue.`;
    case 1:
      return `Draft a ${rng.pick(["white paper", "market report", "grant proposal", "course handbook"])} on ${rng.pick(SUBJECTS)} for ${rng.pick(["our investors", "a city council", "first-year students", "our sales team"])}. Outline:\n${paragraph(rng, 2, 3)}\nCover every section in depth; length is not a problem.`;
    case 2:
      return `Long-form article, ${rng.pick([2500, 3000, 4000])} words: "${rng.pick(["The quiet comeback of", "Everything you need to know about", "A field guide to"])} ${rng.pick(POEM_TOPICS)}". Audience: ${rng.pick(["general readers", "hobbyists", "parents"])}. Notes from the author: ${paragraph(rng, 1, 3)}`;
    default:
      return `Continue the manuscript from where it stops, keeping the voice. Write as much as you can.\n\n${paragraph(rng, 3, 6)}`;
  }
}

export function longformFollowUp(rng: Rng): string {
  return rng.pick([
    "Keep going with the next chapter.",
    "Expand the second section to twice its length.",
    "Rewrite the ending so it is less predictable, same length.",
    "Continue, and add more dialogue this time.",
  ]);
}

/** A tutoring app: students' homework, with the app's own (honest) request to explain each step. */
export function tutoringPrompt(rng: Rng, appName: string): string {
  const p = problem(rng);
  switch (rng.int(4)) {
    case 0:
      return `${p.question}\n\nExplain each step so that the student can follow, then give the result.`;
    case 1:
      return `[${appName}] Student question: ${p.question}\nHelp the student solve it step by step without doing everything for them.`;
    case 2:
      return `My homework: ${p.question} I got ${rng.chance(0.5) ? p.answer : String(rng.range(2, 400))}. Is that right? If not, where did I go wrong?`;
    default:
      return `${p.question}\n\nGive a hint first, then the worked solution.`;
  }
}

export function tutoringFollowUp(rng: Rng): string {
  return rng.pick([
    "why does that step work?",
    "can you explain the second part again, slower",
    "ok and what if the numbers were bigger",
    "i still dont get it",
    "thanks! can you give me a similar one to practise",
  ]);
}

/** A product in its first days: users try everything (questions about the product's catalogue). */
export function launchPrompt(rng: Rng, product: string): string {
  return rng.pick([
    `Compare the ${rng.pick(PRODUCTS)} and the ${rng.pick(PRODUCTS)} for someone on a budget.`,
    `What should I look for when buying a ${rng.pick(PRODUCTS)}?`,
    `${product}: plan a weekend in a city I have never visited, with a ${rng.pick(["small", "flexible", "tight"])} budget.`,
    `Help me write a short message to ${rng.pick(FIRST_NAMES)} about ${rng.pick(POEM_TOPICS)}.`,
    `Explain ${rng.pick(SUBJECTS)} simply.`,
    `Give me three ideas for ${rng.pick(["a birthday gift", "dinner tonight", "a team offsite", "a side project"])}.`,
  ]);
}
