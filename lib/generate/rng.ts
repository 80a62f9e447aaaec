/**
 * Seeded randomness for the generator. Everything random in the synthetic traffic comes from an
 * `Rng` derived from the user's seed and a label, never from Math.random or the clock, so the same
 * options always produce the same bytes. sfc32 is small, fast in V8 and good enough for simulation.
 */

/** 32-bit finaliser (murmur3 fmix32). */
export function mix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a few integers to an unsigned 32-bit value. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = mix32(h ^ Math.imul((p | 0) + 0x7f4a7c15, 0x27d4eb2f));
    // also fold the high bits of large integers (e.g. epoch hours)
    h = mix32(h ^ Math.floor(p / 4294967296));
  }
  return h;
}

/** Hash of a string to an unsigned 32-bit value (FNV-1a then finalised). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Deterministic uniform [0, 1) from integers, for stateless per-(actor, day) decisions. */
export function hashUnit(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
/** all 1024 two-character base32 strings, indexed by a 10-bit value */
const BASE32_PAIRS = Array.from({ length: 1024 }, (_, i) => `${BASE32[i >> 5]}${BASE32[i & 31]}`);
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, label: string | number = 0) {
    const l = typeof label === "number" ? hash32(label) : hashString(label);
    this.a = hash32(seed, l, 1);
    this.b = hash32(seed, l, 2);
    this.c = hash32(seed, l, 3);
    this.d = hash32(seed, l, 4) | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Derives an independent stream; does not consume from this one. */
  fork(label: string | number): Rng {
    const l = typeof label === "number" ? hash32(label) : hashString(label);
    return new Rng(hash32(this.a, this.b, this.c, this.d), l);
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  float(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** Picks with a Zipf-like bias toward the front of the array (s ~ 1). */
  pickSkewed<T>(arr: readonly T[], skew = 2): T {
    return arr[Math.floor(this.next() ** skew * arr.length)] as T;
  }

  /** Standard normal (Box-Muller, one value per call). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Random base32 (Crockford, lower case) string. */
  id(len: number): string {
    let s = "";
    let n = len;
    while (n >= 6) {
      // 30 random bits -> 6 characters
      const x = this.u32();
      s +=
        (BASE32_PAIRS[x & 1023] as string) +
        BASE32_PAIRS[(x >>> 10) & 1023] +
        BASE32_PAIRS[(x >>> 20) & 1023];
      n -= 6;
    }
    if (n > 0) {
      const x = this.u32();
      for (let i = 0; i < n; i++) s += BASE32[(x >>> (5 * i)) & 31];
    }
    return s;
  }

  /** Lower-case hex string. */
  hex(len: number): string {
    let s = "";
    while (s.length < len) {
      const x = this.u32();
      s +=
        (HEX_PAIRS[x & 255] as string) +
        HEX_PAIRS[(x >>> 8) & 255] +
        HEX_PAIRS[(x >>> 16) & 255] +
        HEX_PAIRS[x >>> 24];
    }
    return s.length === len ? s : s.slice(0, len);
  }

  /** RFC 4122 version-4 style UUID. */
  uuid(): string {
    const h = this.hex(32);
    const variant = "89ab"[this.int(4)] as string;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = arr[i] as T;
      arr[i] = arr[j] as T;
      arr[j] = t;
    }
    return arr;
  }

  /** Picks k distinct elements (k clamped to the array length). */
  sample<T>(arr: readonly T[], k: number): T[] {
    return this.shuffle(arr.slice()).slice(0, Math.min(k, arr.length));
  }
}

/** A weighted choice table built once and sampled many times. */
export class Weighted<T> {
  private readonly items: readonly T[];
  private readonly cum: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map((e) => e[0]);
    this.cum = new Float64Array(entries.length);
    let t = 0;
    entries.forEach((e, i) => {
      t += Math.max(0, e[1]);
      this.cum[i] = t;
    });
    this.total = t;
    if (!(t > 0)) throw new Error("Weighted: all weights are zero");
  }

  pick(rng: Rng): T {
    const u = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cum[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

export function weighted<T>(entries: readonly (readonly [T, number])[]): Weighted<T> {
  return new Weighted(entries);
}
