/**
 * Single-purpose applications: one fixed template filled with user content. Content repeats a lot
 * (same products, canned complaints, copy-pasted reviews), which makes these apps look "templated".
 */
import type { Rng } from "../rng.ts";
import { FIRST_NAMES, PRODUCTS } from "./vocab.ts";

export type AppKind = "ticket" | "review" | "extract";

const ISSUES = [
  "was charged twice for my order",
  "never received the package",
  "can't log in after resetting my password",
  "the app crashes when I open settings",
  "got the wrong size",
  "want to cancel my subscription",
  "the item arrived damaged",
  "my discount code doesn't work",
  "need an invoice with my company name",
  "tracking hasn't updated in a week",
  "the device won't turn on after the update",
  "want to change my delivery address",
] as const;

const MOODS = [
  "This is really frustrating.",
  "Please help asap.",
  "Thanks in advance.",
  "Third time writing about this!!",
  "Not urgent.",
  "I need this fixed before Friday.",
  "",
] as const;

const TICKET_DETAILS = [
  "I already tried restarting it and logging out and back in.",
  "The package was marked as delivered but nothing arrived.",
  "I contacted you last week and never got an answer.",
  "I need this sorted out for my company's expense report.",
  "I attached photos of the box and the damage.",
  "My account email is the same one I used for the order.",
  "The tracking page just says 'label created' since Monday.",
  "Your chat bot kept sending me in circles.",
  "I was charged in the wrong currency as well.",
  "I'd prefer a refund over a replacement at this point.",
  "It worked fine for the first two days and then stopped.",
  "The courier left a note but the depot says they have nothing.",
  "I have been a customer for years and this never happened before.",
  "Please don't close the ticket until it's actually fixed.",
] as const;

function details(rng: Rng, pool: readonly string[], min: number, max: number): string {
  return rng.sample(pool, rng.range(min, max)).join(" ");
}

function ticket(rng: Rng): string {
  const p = rng.pick(PRODUCTS);
  return `Hi, I ordered the ${p} (order #${rng.range(100000, 999999)}) and I ${rng.pick(ISSUES)}. ${details(rng, TICKET_DETAILS, 1, 4)} ${rng.pick(MOODS)} ${rng.chance(0.5) ? `Also the ${rng.pick(PRODUCTS)} I bought last month ${rng.pick(ISSUES).replace("my", "the")}.` : ""} - ${rng.pick(FIRST_NAMES)}`;
}

const PRAISE = [
  "works great",
  "exceeded my expectations",
  "is good value",
  "looks exactly like the photos",
  "is easy to set up",
] as const;
const GRIPES = [
  "the battery life is short",
  "it's louder than I expected",
  "the instructions are useless",
  "shipping took forever",
  "it feels cheap",
  "the app keeps disconnecting",
] as const;

const REVIEW_DETAILS = [
  "Setup took about ten minutes.",
  "The packaging was nice and nothing was missing.",
  "I use it every day for work.",
  "Customer service answered quickly when I had a question.",
  "The colour is slightly different from the pictures.",
  "My partner likes it more than I do.",
  "It's heavier than it looks.",
  "The manual is only in English and French.",
  "After a month it still works like on day one.",
  "Price was fair for what you get.",
  "The app needs an account, which I find annoying.",
  "Would buy again if it goes on sale.",
] as const;

function review(rng: Rng): string {
  const p = rng.pick(PRODUCTS);
  const stars = rng.range(1, 5);
  return `${stars}/5 stars. Bought this ${p} ${rng.pick(["two weeks ago", "last month", "for my daughter", "to replace my old one", "on sale"])}. ${details(rng, REVIEW_DETAILS, 1, 4)} Overall it ${rng.pick(PRAISE)}, but ${rng.pick(GRIPES)}. ${rng.chance(0.5) ? `Compared to my previous ${p}, ${rng.pick(["it's better", "it's about the same", "I prefer the old one"])}.` : ""} ${rng.chance(0.4) ? `Update: ${rng.pick(GRIPES)}.` : ""}`;
}

function invoice(rng: Rng): string {
  const lines: string[] = [];
  for (let i = 0; i < rng.range(2, 6); i++)
    lines.push(`${rng.pick(PRODUCTS)}  x${rng.range(1, 12)}  ${rng.range(5, 900)}.${rng.range(10, 99)}`);
  return `INVOICE ${rng.range(1000, 99999)}\nDate: 2026-${String(rng.range(1, 2)).padStart(2, "0")}-${String(rng.range(1, 28)).padStart(2, "0")}\nBill to: ${rng.pick(FIRST_NAMES)} ${rng.pick(["GmbH", "Ltd", "LLC", "SAS", "Inc."])}\n${lines.join("\n")}\nVAT ${rng.pick([0, 7, 19, 20])}%`;
}

export const APP_TEMPLATES: Record<AppKind, { system: string; frame: (content: string) => string }> = {
  ticket: {
    system: "You are a support ticket router. Answer only with JSON.",
    frame: (c) =>
      `Classify this support ticket into exactly one category: billing, shipping, account, technical, returns, other. Also rate urgency 1-3. Respond as {"category": ..., "urgency": ...}.\n\nTicket:\n${c}`,
  },
  review: {
    system: "You summarise product reviews for a store dashboard.",
    frame: (c) =>
      `Summarise this product review in one sentence and label its sentiment as positive, neutral or negative. List any product defects mentioned.\n\nReview:\n${c}`,
  },
  extract: {
    system: "You extract structured data from documents. Output valid JSON only.",
    frame: (c) =>
      `Extract the invoice number, date, customer, line items (name, quantity, price) and VAT rate from the document below.\n\n${c}`,
  },
};

/** A pool of contents for one app: the app draws from it with a heavy skew, so exact repeats are common. */
export function appContentPool(kind: AppKind, rng: Rng, size: number): string[] {
  const gen = kind === "ticket" ? ticket : kind === "review" ? review : invoice;
  const pool: string[] = [];
  for (let i = 0; i < size; i++) pool.push(gen(rng).replace(/ {2,}/g, " ").trim());
  return pool;
}

export function freshAppContent(kind: AppKind, rng: Rng): string {
  const gen = kind === "ticket" ? ticket : kind === "review" ? review : invoice;
  return gen(rng);
}
