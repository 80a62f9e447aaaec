/** Word problems with computed answers (benchmark items, homework, reasoning prompts). */
import type { Rng } from "../rng.ts";
import { FIRST_NAMES } from "./vocab.ts";

export interface Problem {
  readonly question: string;
  readonly answer: string;
}

const THINGS = [
  "apples",
  "marbles",
  "books",
  "stickers",
  "pencils",
  "cookies",
  "coins",
  "cards",
  "tickets",
  "plants",
] as const;

function arithmetic(rng: Rng): Problem {
  const name = rng.pick(FIRST_NAMES);
  const other = rng.pick(FIRST_NAMES);
  const t = rng.pick(THINGS);
  const a = rng.range(12, 240);
  const b = rng.range(2, 9);
  const c = rng.range(1, Math.max(2, Math.floor(a / 3)));
  const total = a * b - c;
  return {
    question: `${name} buys ${b} boxes of ${t} with ${a} ${t} in each box. ${name} gives ${c} ${t} to ${other}. How many ${t} does ${name} have left?`,
    answer: String(total),
  };
}

function rates(rng: Rng): Problem {
  const speed = rng.range(30, 120);
  const hours = rng.range(2, 9);
  const extra = rng.range(10, 95);
  const s2 = speed + rng.range(5, 30);
  const d = speed * hours + extra;
  return {
    question: `A train travels at ${speed} km/h for ${hours} hours and then covers another ${extra} km. A second train travels the same total distance at ${s2} km/h. How many minutes does the second train take? Round to the nearest minute.`,
    answer: String(Math.round((d / s2) * 60)),
  };
}

function linear(rng: Rng): Problem {
  const x = rng.range(-20, 40);
  const a = rng.range(2, 15);
  const b = rng.range(-50, 50);
  const c = a * x + b;
  return {
    question: `Solve for x: ${a}x ${b < 0 ? "-" : "+"} ${Math.abs(b)} = ${c}.`,
    answer: `x = ${x}`,
  };
}

function percent(rng: Rng): Problem {
  const price = rng.range(20, 900);
  const off = rng.pick([10, 15, 20, 25, 30, 40]);
  const tax = rng.pick([5, 7, 8, 10, 19, 20]);
  const final = Math.round(price * (1 - off / 100) * (1 + tax / 100) * 100) / 100;
  return {
    question: `A jacket costs $${price}. It is discounted by ${off}%, and then a ${tax}% sales tax is applied to the discounted price. What is the final price?`,
    answer: `$${final.toFixed(2)}`,
  };
}

function probability(rng: Rng): Problem {
  const r = rng.range(2, 9);
  const b = rng.range(2, 9);
  const total = r + b;
  const num = r * (r - 1);
  const den = total * (total - 1);
  const g = gcd(num, den);
  return {
    question: `A bag contains ${r} red and ${b} blue balls. Two balls are drawn without replacement. What is the probability that both are red?`,
    answer: `${num / g}/${den / g}`,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function ages(rng: Rng): Problem {
  const child = rng.range(4, 15);
  const k = rng.range(2, 5);
  const years = rng.range(2, 12);
  const parent = child * k;
  return {
    question: `${rng.pick(FIRST_NAMES)}'s mother is ${k} times as old as ${rng.pick(["her", "him"])} now. In ${years} years the sum of their ages will be ${parent + child + 2 * years}. How old is the mother now?`,
    answer: String(parent),
  };
}

function sequence(rng: Rng): Problem {
  const a0 = rng.range(1, 20);
  const d = rng.range(2, 12);
  const n = rng.range(20, 120);
  return {
    question: `The first term of an arithmetic sequence is ${a0} and the common difference is ${d}. What is the sum of the first ${n} terms?`,
    answer: String((n * (2 * a0 + (n - 1) * d)) / 2),
  };
}

function geometry(rng: Rng): Problem {
  const a = rng.range(3, 30);
  const b = rng.range(3, 30);
  const h2 = a * a + b * b;
  return {
    question: `A right triangle has legs of length ${a} and ${b}. What is the length of the hypotenuse, to two decimal places?`,
    answer: Math.sqrt(h2).toFixed(2),
  };
}

function logic(rng: Rng): Problem {
  const names = rng.sample(FIRST_NAMES, 3);
  const [x, y, z] = names as [string, string, string];
  return {
    question: `${x} is taller than ${y}. ${z} is shorter than ${y}. Who is the shortest of the three, and who is the tallest?`,
    answer: `${z} is the shortest and ${x} is the tallest`,
  };
}

function workRate(rng: Rng): Problem {
  const a = rng.range(2, 12);
  let b = rng.range(2, 12);
  if (b === a) b += 1;
  const num = a * b;
  const den = a + b;
  const g = gcd(num, den);
  return {
    question: `One pipe fills a tank in ${a} hours and another fills it in ${b} hours. How long do they take together? Give the answer as a fraction of an hour.`,
    answer: `${num / g}/${den / g} hours`,
  };
}

const GENERATORS = [
  arithmetic,
  rates,
  linear,
  percent,
  probability,
  ages,
  sequence,
  geometry,
  logic,
  workRate,
] as const;

function single(rng: Rng): Problem {
  return rng.pick(GENERATORS)(rng);
}

/** Two or three sub-questions, as in exam papers. */
function compound(rng: Rng): Problem {
  const parts = [single(rng), single(rng)];
  if (rng.chance(0.4)) parts.push(single(rng));
  const labels = ["(a)", "(b)", "(c)"];
  return {
    question: `Answer all parts.\n${parts.map((p, i) => `${labels[i]} ${p.question}`).join("\n")}`,
    answer: parts.map((p, i) => `${labels[i]} ${p.answer}`).join("; "),
  };
}

export function problem(rng: Rng): Problem {
  return rng.chance(0.35) ? compound(rng) : single(rng);
}

/** A multiple-choice science item (for evaluation harnesses). */
export function multipleChoice(rng: Rng): Problem {
  const items: [string, string[], number][] = [
    [
      "Which gas do plants absorb during photosynthesis?",
      ["Oxygen", "Carbon dioxide", "Nitrogen", "Helium"],
      1,
    ],
    ["What is the SI unit of electric resistance?", ["Volt", "Ampere", "Ohm", "Watt"], 2],
    [
      "Which organelle produces most of a cell's ATP?",
      ["Nucleus", "Ribosome", "Golgi apparatus", "Mitochondrion"],
      3,
    ],
    ["What is the chemical symbol for sodium?", ["Na", "So", "Sd", "S"], 0],
    ["Which planet has the shortest year?", ["Venus", "Mercury", "Mars", "Earth"], 1],
    ["Which of these is a prime number?", ["51", "57", "61", "63"], 2],
    [
      "What type of bond holds the two strands of DNA together?",
      ["Ionic", "Covalent", "Metallic", "Hydrogen"],
      3,
    ],
    [
      "Which layer of the atmosphere contains the ozone layer?",
      ["Stratosphere", "Troposphere", "Mesosphere", "Exosphere"],
      0,
    ],
  ];
  const [q, opts, correct] = rng.pick(items);
  const order = rng.shuffle([0, 1, 2, 3]);
  const letters = ["A", "B", "C", "D"];
  const lines = order.map((o, i) => `${letters[i]}) ${opts[o]}`);
  return { question: `${q}\n${lines.join("\n")}`, answer: letters[order.indexOf(correct)] as string };
}
