/** A small English sentence grammar that produces varied, plausible filler text (notes, drafts, answers). */
import { Rng } from "../rng.ts";
import {
  ADJ,
  ADVERBS,
  BUSINESS_METRICS,
  FIRST_NAMES,
  MONTHS,
  NOUNS,
  PLACES,
  TECH_TERMS,
  VERBS,
} from "./vocab.ts";

const OPENERS = [
  "We need to",
  "The plan is to",
  "I would like to",
  "Our team wants to",
  "It is important to",
  "Next week we will",
  "Management asked us to",
  "The goal is to",
  "Please help me",
  "We decided to",
] as const;

const LINKS = ["because", "so that", "although", "while", "after", "before", "since", "unless"] as const;

const CLAIMS = [
  "the numbers look better than expected",
  "the old approach was too slow",
  "several customers complained",
  "the deadline moved up by two weeks",
  "nobody owns the process right now",
  "the budget is fixed for this year",
  "the results were mixed",
  "we lost a key person in the team",
  "the vendor changed their pricing",
  "the data has gaps in the early months",
  "users keep asking for it",
  "the first version was rushed",
] as const;

function sentenceA(rng: Rng): string {
  return `${rng.pick(OPENERS)} ${rng.pick(VERBS)} the ${rng.pick(ADJ)} ${rng.pick(NOUNS)} ${rng.pick(PLACES)} ${rng.pick(LINKS)} ${rng.pick(CLAIMS)}.`;
}

function sentenceB(rng: Rng): string {
  const m = rng.pick(BUSINESS_METRICS);
  const pct = rng.range(2, 48);
  return `${m[0]?.toUpperCase()}${m.slice(1)} ${rng.chance(0.5) ? "went up" : "dropped"} by ${pct}% in ${rng.pick(MONTHS)}, ${rng.pick(LINKS)} ${rng.pick(CLAIMS)}.`;
}

function an(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function sentenceC(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(ADVERBS)} said the ${rng.pick(NOUNS)} should be more ${rng.pick(ADJ)}, and the ${rng.pick(NOUNS)} needs ${an(rng.pick(ADJ))} ${rng.pick(NOUNS)}.`;
}

function sentenceD(rng: Rng): string {
  return `The ${rng.pick(TECH_TERMS)} ${rng.chance(0.5) ? "is" : "was"} ${rng.pick(ADJ)} ${rng.pick(PLACES)}, but the ${rng.pick(NOUNS)} still ${rng.chance(0.5) ? "takes" : "took"} ${rng.range(2, 40)} ${rng.pick(["minutes", "hours", "days"])} ${rng.pick(LINKS)} ${rng.pick(CLAIMS)}.`;
}

function sentenceE(rng: Rng): string {
  return `Can we ${rng.pick(VERBS)} the ${rng.pick(NOUNS)} and ${rng.pick(VERBS)} the ${rng.pick(NOUNS)} ${rng.pick(PLACES)}?`;
}

const SENTENCES = [sentenceA, sentenceA, sentenceB, sentenceC, sentenceD, sentenceE] as const;

function freshSentence(rng: Rng): string {
  return rng.pick(SENTENCES)(rng);
}

/**
 * Sentences are drawn from a large pool generated once per process from a fixed seed (the pool is
 * the same for every run, so output stays deterministic): this keeps generation fast and the
 * strings flat. 16k sentences combine into practically unique paragraphs.
 */
const POOL_SIZE = 16_384;
let pool: string[] | null = null;

function sentencePool(): string[] {
  if (pool === null) {
    const r = new Rng(0x5eed, "sentence-pool");
    pool = [];
    for (let i = 0; i < POOL_SIZE; i++) pool.push(JSON.parse(JSON.stringify(freshSentence(r))) as string);
  }
  return pool;
}

export function sentence(rng: Rng): string {
  const p = sentencePool();
  return p[rng.int(POOL_SIZE)] as string;
}

/** A paragraph of `min`..`max` sentences. */
export function paragraph(rng: Rng, min = 2, max = 5): string {
  const k = rng.range(min, max);
  const parts: string[] = [];
  for (let i = 0; i < k; i++) parts.push(sentence(rng));
  // join produces a flat string (deep += ropes are slow to serialise later)
  return parts.join(" ");
}

/** Bullet-point notes, as people paste from meetings or lectures. */
export function notes(rng: Rng, min = 3, max = 7): string {
  const k = rng.range(min, max);
  const lines: string[] = [];
  for (let i = 0; i < k; i++) lines.push(`- ${sentence(rng)}`);
  return lines.join("\n");
}

/** A generic "assistant answer" to be graded / rewritten. */
export function answerText(rng: Rng): string {
  const intro = rng.pick([
    "Sure! Here is what you need to know.",
    "Great question.",
    "There are a few things to consider.",
    "Short answer: it depends.",
    "Here's a step-by-step overview.",
  ]);
  return `${intro} ${paragraph(rng, 2, 4)}\n\n${notes(rng, 2, 4)}`;
}
