/** Account identities: ids, e-mail domains, payment fingerprints, creation times. */
import type { AccountRecord } from "../schema/log-schema.ts";
import { DAY_MS } from "../time.ts";
import { Account, type LabelInfo } from "./core.ts";
import { type Endpoint, endpoint, homeNets } from "./geo.ts";
import { type Rng, Weighted } from "./rng.ts";
import { isoMs } from "./time.ts";

const PERSONAL_GLOBAL = new Weighted<string>([
  ["gmail.com", 50],
  ["outlook.com", 10],
  ["hotmail.com", 7],
  ["yahoo.com", 6],
  ["icloud.com", 7],
  ["proton.me", 3],
]);

const PERSONAL_LOCAL: Record<string, readonly string[]> = {
  DE: ["gmx.de", "web.de", "t-online.de"],
  FR: ["orange.fr", "free.fr", "laposte.net"],
  JP: ["yahoo.co.jp", "docomo.ne.jp"],
  KR: ["naver.com", "daum.net"],
  CN: ["qq.com", "163.com"],
  BR: ["uol.com.br", "bol.com.br"],
  IT: ["libero.it"],
  PL: ["wp.pl", "onet.pl"],
  GB: ["btinternet.com"],
  IN: ["rediffmail.com"],
};

export function personalDomain(cc: string, rng: Rng): string {
  const local = PERSONAL_LOCAL[cc];
  if (local !== undefined && rng.chance(0.35)) return rng.pick(local);
  if (rng.chance(0.04))
    return `${rng.pick(["kat", "jmr", "tobi", "elle", "dmitri", "sam", "noor"])}${rng.pick(["", "-", "."])}${rng.pick(["codes", "writes", "design", "home", "lab"])}.${rng.pick(["dev", "me", "xyz", "io", "net"])}`;
  return PERSONAL_GLOBAL.pick(rng);
}

const CO_A = [
  "north",
  "bright",
  "blue",
  "stone",
  "clear",
  "swift",
  "silver",
  "red",
  "green",
  "true",
  "open",
  "deep",
  "high",
  "iron",
  "nova",
  "pine",
] as const;
const CO_B = [
  "lane",
  "field",
  "works",
  "labs",
  "metrics",
  "logic",
  "bridge",
  "point",
  "wave",
  "forge",
  "stack",
  "loop",
  "harbor",
  "craft",
  "grid",
  "path",
] as const;
const CO_TLD: Record<string, readonly string[]> = {
  DE: [".de", ".com", ".io"],
  FR: [".fr", ".com", ".io"],
  GB: [".co.uk", ".com", ".io"],
  JP: [".co.jp", ".com"],
  BR: [".com.br", ".com"],
};

export function companyDomain(cc: string, rng: Rng): string {
  const tlds = CO_TLD[cc] ?? [".com", ".com", ".io", ".ai", ".co"];
  return `${rng.pick(CO_A)}${rng.pick(CO_B)}${rng.chance(0.2) ? rng.pick(["-analytics", "-health", "-group", "-tech", "hq"]) : ""}${rng.pick(tlds)}`;
}

const CITY = [
  "westbrook",
  "ashford",
  "riverton",
  "lakemont",
  "kingsport",
  "fairhaven",
  "northgate",
  "elmwood",
  "bayview",
  "hillcrest",
] as const;

export function eduDomain(cc: string, rng: Rng): string {
  const c = rng.pick(CITY);
  switch (cc) {
    case "DE":
      return rng.chance(0.5) ? `uni-${c}.de` : `tu-${c}.de`;
    case "FR":
      return `univ-${c}.fr`;
    case "GB":
      return `${c}.ac.uk`;
    case "JP":
      return `${c}-u.ac.jp`;
    case "CN":
      return `${c}.edu.cn`;
    case "BR":
      return `${c}.edu.br`;
    case "IN":
      return `${c}.ac.in`;
    default:
      return rng.chance(0.5) ? `${c}.edu` : `cs.${c}.edu`;
  }
}

const THROW_A = ["mail", "inbox", "post", "box", "letter", "drop", "quick", "swift", "temp", "one"] as const;
const THROW_B = ["nest", "hub", "zone", "ly", "pad", "base", "spot", "dock"] as const;
const THROW_TLD = [".xyz", ".top", ".site", ".online", ".store", ".icu", ".click"] as const;

/** Cheap / disposable-looking mail domains. */
export function throwawayDomain(rng: Rng): string {
  return `${rng.pick(THROW_A)}${rng.pick(THROW_B)}${rng.range(1, 99)}${rng.pick(THROW_TLD)}`;
}

export function card(rng: Rng): string {
  return `pm_${rng.id(18)}`;
}

/** Creation time spread over years (log-ish), ending `minDaysBefore` before the window. */
export function oldCreatedMs(
  rng: Rng,
  startMs: number,
  minDaysBefore: number,
  maxDaysBefore: number,
): number {
  const lo = Math.log(minDaysBefore);
  const hi = Math.log(maxDaysBefore);
  const days = Math.exp(lo + rng.next() * (hi - lo));
  return Math.floor(startMs - days * DAY_MS - rng.int(DAY_MS));
}

export function homeSignupIp(cc: string, rng: Rng): Endpoint {
  return endpoint(rng.pick(homeNets(cc)), rng, 0.1);
}

/** Registry of all accounts; ids are random and all look alike. */
export class AccountBook {
  readonly list: Account[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly idRng: Rng) {}

  add(
    createdMs: number,
    f: {
      payment: string | null;
      email: string | null;
      country: string | null;
      ip: string | null;
      type: string | null;
    },
    label: LabelInfo,
  ): Account {
    let id = `acct_${this.idRng.id(16)}`;
    while (this.seen.has(id)) id = `acct_${this.idRng.id(16)}`;
    this.seen.add(id);
    const rec: AccountRecord = {
      account_id: id,
      created_at: isoMs(createdMs),
      payment_fingerprint: f.payment,
      email_domain: f.email,
      signup_country: f.country,
      signup_ip: f.ip,
      account_type: f.type,
    };
    const a = new Account(this.list.length, id, createdMs, rec, label);
    this.list.push(a);
    return a;
  }
}
