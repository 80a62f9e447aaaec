/** Ordinary user prompts by topic, with follow-ups for multi-turn conversations (English). */
import type { Rng } from "../rng.ts";
import { CODE_LANGS, type CodeLang, codeSnippet, entity, errorMessage, featureTask, fnName } from "./code.ts";
import { problem } from "./problems.ts";
import { answerText, notes, paragraph } from "./prose.ts";
import {
  BUSINESS_METRICS,
  CITIES,
  COMPANIES,
  COURSES,
  DIETS,
  DISHES,
  EMAIL_REASONS,
  FIRST_NAMES,
  FITNESS_GOALS,
  GENRES,
  INGREDIENTS,
  INTERESTS,
  JOBS,
  MONTHS,
  OCCASIONS,
  POEM_TOPICS,
  PRODUCTS,
  RECIPIENTS,
  SKILLS,
  STORY_SETTINGS,
  SUBJECTS,
} from "./vocab.ts";

export type Topic =
  | "writing"
  | "question"
  | "travel"
  | "cooking"
  | "study"
  | "health"
  | "finance"
  | "brainstorm"
  | "business"
  | "data"
  | "coding"
  | "sql"
  | "devops"
  | "support";

function list(rng: Rng, arr: readonly string[], min: number, max: number): string {
  return rng.sample(arr, rng.range(min, max)).join(", ");
}

const WRITING = [
  (r: Rng) =>
    `Can you write an email to ${r.pick(RECIPIENTS)} ${r.pick(EMAIL_REASONS)}? Keep it ${r.pick(["polite but firm", "short and friendly", "formal", "warm", "professional"])}. Some context: ${paragraph(r, 1, 3)}`,
  (r: Rng) =>
    `Help me write a cover letter for a ${r.pick(JOBS)} position at ${r.pick(COMPANIES)}. I have ${r.range(1, 12)} years of experience and my strongest skills are ${list(r, SKILLS, 2, 4)}. Here is my current summary:\n\n${paragraph(r, 2, 4)}`,
  (r: Rng) =>
    `Write a short ${r.pick(GENRES)} story (about ${r.pick([300, 500, 800, 1000])} words) set in ${r.pick(STORY_SETTINGS)}. The main character is ${r.pick(FIRST_NAMES)}, who ${r.pick(["has a secret", "is afraid of the dark", "just lost their job", "finds a strange letter", "can hear the thoughts of plants"])}.`,
  (r: Rng) =>
    `Write a ${r.pick(["haiku", "sonnet", "short poem", "limerick", "free verse poem"])} about ${r.pick(POEM_TOPICS)}${r.chance(0.4) ? ` in the style of ${r.pick(["a children's book", "a sea shanty", "old English ballads", "a rap verse"])}` : ""}.`,
  (r: Rng) =>
    `I need to give a ${r.range(2, 5)}-minute toast at ${r.pick(OCCASIONS)}. A few things about them: ${paragraph(r, 1, 2)} Make it funny but not embarrassing.`,
  (r: Rng) =>
    `Please proofread and improve this text, keep my voice:\n\n${paragraph(r, 3, 6)}\n\n${paragraph(r, 2, 4)}`,
  (r: Rng) =>
    `Write a LinkedIn post announcing that I ${r.pick(["started a new job as", "got promoted to", "am looking for a role as"])} ${r.pick(JOBS)}. Mention ${list(r, SKILLS, 1, 3)}. Not too cheesy please.`,
] as const;

const QUESTION = [
  (r: Rng) =>
    `Explain ${r.pick(SUBJECTS)} like I'm ${r.pick(["five", "a high school student", "a busy adult", "new to the topic"])}.`,
  (r: Rng) =>
    `What's the difference between ${r.pick(SUBJECTS)} and ${r.pick(SUBJECTS)}? Are they related at all?`,
  (r: Rng) =>
    `Why ${r.pick(["do cats knead blankets", "is the sky blue but sunsets red", "do we get hiccups", "does bread go stale", "do planes leave white trails", "does ice float", "do onions make you cry"])}? ${r.chance(0.4) ? "I've heard different explanations and want the real one." : ""}`,
  (r: Rng) =>
    `I read this and I'm not sure it's accurate:\n\n"${paragraph(r, 2, 3)}"\n\nCan you fact-check the general idea and explain ${r.pick(SUBJECTS)} properly?`,
  (r: Rng) =>
    `How does ${r.pick(["a heat pump", "GPS", "a credit score", "noise cancelling", "a nuclear reactor", "the stock market", "wifi", "an electric car battery"])} actually work? Give me the intuition first, then details.`,
] as const;

const TRAVEL = [
  (r: Rng) =>
    `Plan a ${r.range(2, 10)}-day trip to ${r.pick(CITIES)} in ${r.pick(MONTHS)} for ${r.pick(["me and my partner", "a family with two kids", "a solo traveller", "four friends"])}. We like ${list(r, INTERESTS, 2, 4)}. Budget is around $${r.range(8, 60) * 100}. Please give a day-by-day itinerary with neighbourhoods to stay in.`,
  (r: Rng) =>
    `What should I pack for a week in ${r.pick(CITIES)} in ${r.pick(MONTHS)}? I'm only taking a carry-on.`,
  (r: Rng) =>
    `Is ${r.pick(CITIES)} or ${r.pick(CITIES)} better for a first trip with ${r.pick(INTERESTS)} and ${r.pick(INTERESTS)}? Pros and cons please.`,
  (r: Rng) =>
    `I have a ${r.range(6, 14)}-hour layover in ${r.pick(CITIES)}. Is it worth leaving the airport? What could I see?`,
] as const;

const COOKING = [
  (r: Rng) =>
    `I have ${list(r, INGREDIENTS, 3, 6)} in the fridge. What can I make for dinner tonight for ${r.range(1, 6)} people? ${r.chance(0.5) ? `It needs to be ${r.pick(DIETS)}.` : ""}`,
  (r: Rng) =>
    `Give me a ${r.pick(DIETS)} recipe for ${r.pick(DISHES)} with step-by-step instructions and a shopping list.`,
  (r: Rng) => `What can I use instead of ${r.pick(INGREDIENTS)} in ${r.pick(DISHES)}? I don't have any.`,
  (r: Rng) =>
    `Make me a ${r.range(3, 7)}-day ${r.pick(DIETS)} meal plan, around ${r.range(14, 30) * 100} kcal per day, with simple breakfasts. I like ${list(r, INGREDIENTS, 2, 4)}.`,
] as const;

const STUDY = [
  (r: Rng) =>
    `I have a ${r.pick(COURSES)} exam on ${r.pick(SUBJECTS)} next week. Can you explain the key ideas and give me 5 practice questions?`,
  (r: Rng) =>
    `Summarise my lecture notes into the main points and tell me what I'm missing:\n\n${notes(r, 4, 9)}`,
  (r: Rng) => {
    const p = problem(r);
    return `Can you help with my homework? ${p.question} Please show the steps so I understand how to do it.`;
  },
  (r: Rng) => `Make flashcards (question/answer) from this text:\n\n${paragraph(r, 3, 6)}`,
  (r: Rng) =>
    `My teacher said my essay on ${r.pick(SUBJECTS)} lacks structure. Here is the intro:\n\n${paragraph(r, 3, 5)}\n\nHow can I improve it?`,
] as const;

const HEALTH = [
  (r: Rng) =>
    `I want to ${r.pick(FITNESS_GOALS)}. I can train ${r.range(2, 5)} days a week for about ${r.range(3, 9) * 10} minutes. Can you make me a plan?`,
  (r: Rng) =>
    `Tips for sleeping better? I usually go to bed at ${r.range(10, 12)}pm but wake up at ${r.range(3, 5)}am and can't fall asleep again.`,
  (r: Rng) =>
    `What's a healthy breakfast that keeps me full until lunch, ${r.pick(DIETS)}, under 10 minutes to make?`,
] as const;

const FINANCE = [
  (r: Rng) =>
    `Help me make a monthly budget. Take-home pay is $${r.range(25, 90) * 100}, rent $${r.range(6, 30) * 100}, car $${r.range(2, 7) * 100}, and I want to save for ${r.pick(["a house", "a wedding", "an emergency fund", "travel", "retirement"])}.`,
  (r: Rng) =>
    `Should I pay off a ${r.range(3, 24)}% credit card or invest in an index fund first? I have $${r.range(2, 40) * 500} of debt.`,
  (r: Rng) =>
    `Explain the difference between a Roth and a traditional retirement account in simple terms, and which one makes sense if I earn $${r.range(30, 180)}k.`,
] as const;

const BRAINSTORM = [
  (r: Rng) =>
    `Give me 15 name ideas for a ${r.pick(["coffee shop", "podcast about history", "bakery", "dog walking business", "board game cafe", "newsletter about AI", "plant shop"])}. ${r.chance(0.5) ? "Short, easy to spell." : ""}`,
  (r: Rng) =>
    `Gift ideas for my ${r.pick(["dad", "sister", "boss", "partner", "grandma", "best friend"])} who likes ${list(r, INTERESTS, 1, 3)}. Budget $${r.range(2, 20) * 10}.`,
  (r: Rng) =>
    `What are some fun activities for a ${r.pick(["rainy weekend", "team building day", "kid's birthday party", "first date", "family reunion"])}?`,
] as const;

const BUSINESS = [
  (r: Rng) => `Summarise these meeting notes into decisions, owners and next steps:\n\n${notes(r, 5, 10)}`,
  (r: Rng) =>
    `Draft a one-page proposal to ${r.pick(["reduce support tickets", "improve onboarding", "launch a referral program", "move to a four-day week", "consolidate our vendors"])} at ${r.pick(COMPANIES)}. Background:\n\n${paragraph(r, 3, 6)}`,
  (r: Rng) =>
    `Write a product description for our ${r.pick(PRODUCTS)}. Key features: ${paragraph(r, 1, 2)} Target audience: ${r.pick(["students", "remote workers", "parents", "athletes", "small businesses"])}.`,
  (r: Rng) => `Rewrite this customer reply to sound more empathetic:\n\n${paragraph(r, 2, 4)}`,
  (r: Rng) =>
    `Our ${r.pick(BUSINESS_METRICS)} has been falling for three months. Context:\n${notes(r, 3, 6)}\nWhat hypotheses should we test first?`,
] as const;

const DATA = [
  (r: Rng) => {
    const rows: string[] = ["month,region,revenue,orders"];
    for (let i = 0; i < r.range(5, 12); i++)
      rows.push(
        `${r.pick(MONTHS)},${r.pick(["EMEA", "NA", "APAC", "LATAM"])},${r.range(10, 900) * 100},${r.range(50, 4000)}`,
      );
    return `Here is some data:\n\n${rows.join("\n")}\n\nWhat trends do you see, and what chart would you use to present this to leadership?`;
  },
  (r: Rng) =>
    `Write an Excel formula that ${r.pick(["sums column C when column A matches a name in F2", "finds the last non-empty cell in a row", "counts unique values in B2:B500", "looks up a price from another sheet by SKU"])}.`,
] as const;

function fence(lang: CodeLang, code: string): string {
  return `\`\`\`${lang}\n${code}\n\`\`\``;
}

const CODING = [
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `I'm getting this error:\n\n${errorMessage(r, lang)}\n\nHere's the code:\n\n${fence(lang, codeSnippet(r, lang))}\n\nWhat's wrong and how do I fix it?`;
  },
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `Write a ${lang} function \`${fnName(r, lang)}\` that takes a list of ${entity(r)}s and returns them grouped by owner, skipping inactive ones. Include tests. It should fit in with this existing code:\n\n${fence(lang, codeSnippet(r, lang))}`;
  },
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `Can you explain what this does, line by line?\n\n${fence(lang, codeSnippet(r, lang))}`;
  },
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `Review this ${lang} code for bugs and style issues:\n\n${fence(lang, codeSnippet(r, lang))}\n\n${fence(lang, codeSnippet(r, lang))}`;
  },
  (r: Rng) =>
    `What's the best way to ${featureTask(r)}? We use ${r.pick(["Django", "Express", "Spring Boot", "Rails", "FastAPI", "Go net/http", "Next.js"])} with ${r.pick(["Postgres", "MySQL", "MongoDB", "DynamoDB", "SQLite"])}. ${paragraph(r, 1, 3)}`,
  (r: Rng) =>
    `Write a regex that matches ${r.pick(["UK postcodes", "ISO dates", "semantic version strings", "email addresses (roughly)", "hex colours", "US phone numbers"])} and explain it.`,
] as const;

const SQL = [
  (r: Rng) =>
    `I have tables ${entity(r)}s(id, owner_id, status, created_at) and orders(id, ${entity(r)}_id, amount, created_at). Write a query that ${r.pick(["finds the top 10 by total amount last month", "returns those with no orders in 90 days", "computes a 7-day rolling sum of amount", "shows month-over-month growth"])}.`,
  (r: Rng) => `Why is this query slow and how do I index for it?\n\n${fence("sql", codeSnippet(r, "sql"))}`,
] as const;

const DEVOPS = [
  (r: Rng) =>
    `My Docker build fails with "${r.pick(["no space left on device", "failed to solve: process did not complete successfully: exit code 137", "COPY failed: file not found in build context"])}". Dockerfile:\n\n\`\`\`dockerfile\nFROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "main.py"]\n\`\`\``,
  (r: Rng) =>
    `How do I ${r.pick(["undo the last git commit but keep the changes", "squash my last 3 commits", "rebase my branch on main without losing work", "find which commit introduced a bug"])}?`,
  (r: Rng) =>
    `Write a GitHub Actions workflow that runs ${r.pick(["pytest", "npm test", "go test ./...", "cargo test"])} on every PR and caches dependencies.`,
  (r: Rng) =>
    `Our pods keep getting OOMKilled. Limits are ${r.range(2, 16) * 128}Mi. What should I look at first?`,
] as const;

const SUPPORT = [
  (r: Rng) =>
    `Draft a reply to this customer:\n\n"${paragraph(r, 2, 4)}"\n\nWe can offer ${r.pick(["a refund", "a replacement", "a 20% discount", "a call with an engineer"])}.`,
  (r: Rng) => `Summarise this support conversation for the handover note:\n\n${notes(r, 4, 8)}`,
] as const;

const FIRST: Record<Topic, readonly ((r: Rng) => string)[]> = {
  writing: WRITING,
  question: QUESTION,
  travel: TRAVEL,
  cooking: COOKING,
  study: STUDY,
  health: HEALTH,
  finance: FINANCE,
  brainstorm: BRAINSTORM,
  business: BUSINESS,
  data: DATA,
  coding: CODING,
  sql: SQL,
  devops: DEVOPS,
  support: SUPPORT,
};

export function firstPrompt(topic: Topic, rng: Rng): string {
  return rng.pick(FIRST[topic])(rng);
}

const GENERIC_FOLLOW = [
  "Can you make it shorter?",
  "Thanks! Can you make it a bit more casual?",
  "Great, now translate that into Spanish.",
  "Can you give me a version in bullet points?",
  "That's too long, cut it in half please.",
  "Perfect. One more thing: what would you change if the audience were beginners?",
  "Hmm, I don't think that's right. Can you double-check?",
  "Can you add an example?",
  "ok",
  "Thank you!",
] as const;

const CODE_FOLLOW = [
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `That didn't work, now I get:\n\n${errorMessage(r, lang)}`;
  },
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `Can you add type hints and docstrings to this one too?\n\n${fence(lang, codeSnippet(r, lang))}`;
  },
  () => "How would I write a unit test for that?",
  (r: Rng) => {
    const lang = r.pick(CODE_LANGS);
    return `Here's the updated version, is this better?\n\n${fence(lang, codeSnippet(r, lang))}`;
  },
  () => "What's the time complexity of this?",
  () => "Can you make it async?",
] as const;

const OTHER_FOLLOW: Partial<Record<Topic, readonly ((r: Rng) => string)[]>> = {
  travel: [
    (r) =>
      `What about restaurants near ${r.pick(["the old town", "the harbour", "the main station", "our hotel"])}?`,
    () => "Can you swap day 2 for something more relaxed?",
    () => "How do we get from the airport to the city centre?",
  ],
  cooking: [
    () => "Can I make it the day before?",
    (r) => `I don't have ${r.pick(INGREDIENTS)}, what else can I use?`,
    () => "How long does it keep in the fridge?",
  ],
  study: [
    () => "Can you give me harder questions?",
    () => "I still don't get the second step. Explain it differently?",
    (r) => `Now quiz me on ${r.pick(SUBJECTS)}.`,
  ],
  writing: [
    () => "Make the ending stronger.",
    () => "Less formal please, it's for a friend.",
    (r) => `Add a paragraph about this: ${paragraph(r, 1, 2)}`,
  ],
  business: [
    () => "Turn this into an email to the team.",
    () => "What are the risks we haven't considered?",
    (r) => `Add these points too:\n${notes(r, 2, 4)}`,
  ],
};

export function followUp(topic: Topic, rng: Rng): string {
  if (topic === "coding" || topic === "sql" || topic === "devops") return rng.pick(CODE_FOLLOW)(rng);
  const own = OTHER_FOLLOW[topic];
  if (own && rng.chance(0.6)) return rng.pick(own)(rng);
  return rng.chance(0.3) ? `${rng.pick(GENERIC_FOLLOW)} ${paragraph(rng, 1, 3)}` : rng.pick(GENERIC_FOLLOW);
}

const PASTE_INTRO = [
  "For context, here is what I have so far:",
  "Here's the relevant part:",
  "Some background:",
  "This is what I wrote:",
  "Pasting the details below.",
  "More context:",
] as const;

/** Adds pasted material (a draft, notes, code or a log) to a message. */
export function withPaste(prompt: string, topic: Topic, rng: Rng): string {
  let body: string;
  if (topic === "coding" || topic === "sql" || topic === "devops") {
    const lang = rng.pick(CODE_LANGS);
    body = `${fence(lang, codeSnippet(rng, lang))}${rng.chance(0.4) ? `\n\n${errorMessage(rng, lang)}` : ""}`;
  } else if (rng.chance(0.5)) {
    body = `${paragraph(rng, 3, 6)}\n\n${paragraph(rng, 2, 5)}`;
  } else {
    body = notes(rng, 4, 9);
  }
  return `${prompt}\n\n${rng.pick(PASTE_INTRO)}\n\n${body}`;
}

/** Agent-loop messages of a coding agent (the last user message is usually a tool result). */
export function agentStart(rng: Rng, repo: string): string {
  return `In ${repo}, ${featureTask(rng)}. ${rng.chance(0.5) ? `Context: ${paragraph(rng, 1, 2)}` : "Run the tests when you're done."}`;
}

export { answerText };
