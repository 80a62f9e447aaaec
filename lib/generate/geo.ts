/**
 * Countries, time zones, languages and networks. Every IP the generator emits comes from one of the
 * networks below, so source_asn and source_country always agree with the address's network (the
 * prefixes are plausible for the operator but the table is synthetic: only internal consistency
 * matters).
 */
import { type Rng, Weighted } from "./rng.ts";

export type Lang = "en" | "es" | "fr" | "de" | "zh" | "ja" | "pt";

export interface Country {
  readonly code: string;
  /** UTC offsets people live in (hours; DST ignored). */
  readonly tz: readonly number[];
  /** Share of prompts written in the local language by people living there. */
  readonly lang?: readonly [Lang, number];
  /** Weight in the benign population. */
  readonly weight: number;
}

export const COUNTRIES: readonly Country[] = [
  { code: "US", tz: [-5, -5, -6, -7, -8, -8], weight: 28 },
  { code: "IN", tz: [5.5], weight: 8 },
  { code: "GB", tz: [0], weight: 6 },
  { code: "DE", tz: [1], lang: ["de", 0.4], weight: 6 },
  { code: "FR", tz: [1], lang: ["fr", 0.42], weight: 5 },
  { code: "BR", tz: [-3], lang: ["pt", 0.5], weight: 5 },
  { code: "JP", tz: [9], lang: ["ja", 0.5], weight: 4 },
  { code: "CA", tz: [-5, -5, -8], lang: ["fr", 0.1], weight: 4 },
  { code: "ES", tz: [1], lang: ["es", 0.45], weight: 3 },
  { code: "MX", tz: [-6], lang: ["es", 0.5], weight: 3 },
  { code: "KR", tz: [9], weight: 3 },
  { code: "AU", tz: [10, 10, 8], weight: 3 },
  { code: "NL", tz: [1], weight: 2 },
  { code: "IT", tz: [1], weight: 2 },
  { code: "PL", tz: [1], weight: 2 },
  { code: "SG", tz: [8], lang: ["zh", 0.2], weight: 2 },
  { code: "CN", tz: [8], lang: ["zh", 0.7], weight: 1 },
  { code: "TR", tz: [3], weight: 1.5 },
  { code: "ID", tz: [7], weight: 1.5 },
  { code: "AR", tz: [-3], lang: ["es", 0.5], weight: 1.5 },
  { code: "VN", tz: [7], weight: 1 },
  { code: "NG", tz: [1], weight: 1 },
  { code: "ZA", tz: [2], weight: 1 },
  { code: "SE", tz: [1], weight: 1 },
  { code: "PT", tz: [0], lang: ["pt", 0.4], weight: 1 },
];

const COUNTRY_BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));
export function country(code: string): Country {
  const c = COUNTRY_BY_CODE.get(code);
  if (!c) throw new Error(`unknown country ${code}`);
  return c;
}

export const COUNTRY_PICKER = new Weighted(COUNTRIES.map((c) => [c, c.weight] as const));

export type NetKind = "residential" | "mobile" | "hosting" | "edu" | "business";

export interface Net {
  readonly asn: number;
  readonly country: string;
  readonly kind: NetKind;
  /** /16 prefixes as [first octet, second octet]. */
  readonly v4: readonly (readonly [number, number])[];
  /** leading IPv6 hextets, e.g. "2601:1c0" (absent: v4 only). */
  readonly v6?: string;
}

function n(asn: number, cc: string, kind: NetKind, v4: [number, number][], v6?: string): Net {
  return v6 === undefined ? { asn, country: cc, kind, v4 } : { asn, country: cc, kind, v4, v6 };
}

export const NETS: readonly Net[] = [
  // residential and mobile access networks
  n(
    7922,
    "US",
    "residential",
    [
      [73, 12],
      [73, 45],
      [73, 118],
      [24, 16],
      [68, 36],
      [98, 207],
    ],
    "2601:1c0",
  ),
  n(
    7018,
    "US",
    "residential",
    [
      [99, 15],
      [99, 104],
      [107, 194],
      [76, 204],
    ],
    "2600:1700",
  ),
  n(
    701,
    "US",
    "residential",
    [
      [71, 174],
      [100, 8],
      [108, 46],
    ],
    "2600:4040",
  ),
  n(20115, "US", "residential", [
    [97, 93],
    [47, 144],
    [66, 108],
    [75, 134],
  ]),
  n(
    21928,
    "US",
    "mobile",
    [
      [172, 56],
      [172, 58],
      [172, 59],
    ],
    "2607:fb90",
  ),
  n(
    812,
    "CA",
    "residential",
    [
      [24, 114],
      [99, 231],
      [174, 112],
    ],
    "2607:fea8",
  ),
  n(
    3320,
    "DE",
    "residential",
    [
      [79, 192],
      [84, 150],
      [87, 123],
      [91, 54],
      [93, 220],
    ],
    "2003:e2",
  ),
  n(3209, "DE", "residential", [
    [94, 134],
    [88, 130],
    [188, 97],
  ]),
  n(
    3215,
    "FR",
    "residential",
    [
      [90, 3],
      [86, 246],
      [92, 184],
    ],
    "2a01:cb00",
  ),
  n(
    12322,
    "FR",
    "residential",
    [
      [82, 64],
      [88, 160],
      [78, 192],
    ],
    "2a01:e0a",
  ),
  n(
    2856,
    "GB",
    "residential",
    [
      [81, 129],
      [86, 128],
      [109, 150],
    ],
    "2a00:23c5",
  ),
  n(5089, "GB", "residential", [
    [82, 1],
    [86, 2],
    [92, 233],
  ]),
  n(3352, "ES", "residential", [
    [83, 32],
    [88, 2],
    [79, 148],
  ]),
  n(3269, "IT", "residential", [
    [79, 18],
    [93, 45],
    [87, 16],
  ]),
  n(
    1136,
    "NL",
    "residential",
    [
      [77, 160],
      [84, 104],
    ],
    "2a02:a44",
  ),
  n(5617, "PL", "residential", [
    [83, 24],
    [89, 64],
  ]),
  n(3301, "SE", "residential", [
    [78, 70],
    [90, 224],
  ]),
  n(3243, "PT", "residential", [
    [85, 138],
    [89, 153],
  ]),
  n(
    28573,
    "BR",
    "residential",
    [
      [177, 32],
      [179, 218],
      [189, 6],
    ],
    "2804:14c",
  ),
  n(18881, "BR", "residential", [
    [177, 96],
    [187, 10],
    [191, 183],
  ]),
  n(8151, "MX", "residential", [
    [187, 188],
    [189, 203],
    [201, 141],
  ]),
  n(7303, "AR", "residential", [
    [181, 46],
    [190, 17],
  ]),
  n(24560, "IN", "residential", [
    [122, 161],
    [182, 68],
  ]),
  n(
    55836,
    "IN",
    "mobile",
    [
      [49, 36],
      [157, 32],
    ],
    "2409:4040",
  ),
  n(
    4134,
    "CN",
    "residential",
    [
      [113, 88],
      [115, 192],
      [183, 14],
    ],
    "240e:3b0",
  ),
  n(4837, "CN", "residential", [
    [123, 112],
    [221, 216],
  ]),
  n(
    2516,
    "JP",
    "residential",
    [
      [106, 128],
      [111, 168],
    ],
    "2001:268",
  ),
  n(4713, "JP", "residential", [
    [153, 156],
    [180, 12],
  ]),
  n(4766, "KR", "residential", [
    [175, 192],
    [211, 36],
  ]),
  n(9506, "SG", "residential", [
    [116, 14],
    [220, 255],
  ]),
  n(
    1221,
    "AU",
    "residential",
    [
      [101, 160],
      [110, 140],
      [120, 148],
    ],
    "2001:8003",
  ),
  n(7713, "ID", "residential", [
    [36, 68],
    [180, 248],
  ]),
  n(7552, "VN", "residential", [
    [27, 72],
    [116, 96],
  ]),
  n(36873, "NG", "mobile", [
    [105, 112],
    [197, 210],
  ]),
  n(37457, "ZA", "residential", [
    [41, 112],
    [105, 224],
  ]),
  n(9121, "TR", "residential", [
    [78, 160],
    [88, 230],
  ]),
  // research and education networks
  n(
    32,
    "US",
    "edu",
    [
      [171, 64],
      [171, 66],
    ],
    "2607:f6d0",
  ),
  n(3, "US", "edu", [
    [18, 9],
    [18, 29],
  ]),
  n(
    680,
    "DE",
    "edu",
    [
      [141, 20],
      [134, 99],
    ],
    "2001:638",
  ),
  n(786, "GB", "edu", [
    [131, 111],
    [193, 60],
  ]),
  n(2200, "FR", "edu", [
    [193, 54],
    [194, 57],
  ]),
  n(2500, "JP", "edu", [[133, 11]]),
  n(4538, "CN", "edu", [
    [166, 111],
    [202, 112],
  ]),
  n(1916, "BR", "edu", [
    [200, 130],
    [150, 161],
  ]),
  n(55824, "IN", "edu", [[14, 139]]),
  // business transit (offices)
  n(174, "US", "business", [
    [38, 99],
    [38, 140],
  ]),
  n(3356, "US", "business", [
    [4, 14],
    [8, 47],
  ]),
  n(6461, "US", "business", [
    [64, 125],
    [208, 185],
  ]),
  n(3257, "DE", "business", [
    [213, 200],
    [89, 149],
  ]),
  n(1299, "SE", "business", [[62, 115]]),
  n(2914, "JP", "business", [
    [61, 200],
    [129, 250],
  ]),
  // hosting / cloud
  n(
    16509,
    "US",
    "hosting",
    [
      [3, 80],
      [18, 208],
      [52, 70],
      [54, 175],
    ],
    "2600:1f18",
  ),
  n(
    16509,
    "DE",
    "hosting",
    [
      [3, 120],
      [18, 184],
      [52, 57],
    ],
    "2a05:d014",
  ),
  n(16509, "SG", "hosting", [
    [13, 212],
    [18, 139],
  ]),
  n(16509, "JP", "hosting", [
    [13, 112],
    [54, 248],
  ]),
  n(14618, "US", "hosting", [
    [3, 208],
    [34, 192],
    [44, 192],
    [54, 80],
  ]),
  n(
    15169,
    "US",
    "hosting",
    [
      [34, 66],
      [35, 185],
      [104, 154],
    ],
    "2600:1900",
  ),
  n(15169, "NL", "hosting", [
    [34, 90],
    [35, 204],
  ]),
  n(
    8075,
    "US",
    "hosting",
    [
      [20, 42],
      [40, 76],
      [52, 160],
    ],
    "2603:1030",
  ),
  n(8075, "NL", "hosting", [
    [20, 50],
    [40, 114],
  ]),
  n(
    14061,
    "US",
    "hosting",
    [
      [159, 89],
      [167, 99],
      [64, 227],
    ],
    "2604:a880",
  ),
  n(14061, "DE", "hosting", [
    [164, 90],
    [46, 101],
  ]),
  n(14061, "SG", "hosting", [
    [128, 199],
    [139, 59],
  ]),
  n(
    24940,
    "DE",
    "hosting",
    [
      [5, 9],
      [88, 198],
      [95, 216],
      [65, 108],
    ],
    "2a01:4f8",
  ),
  n(24940, "FI", "hosting", [
    [65, 21],
    [95, 217],
  ]),
  n(
    16276,
    "FR",
    "hosting",
    [
      [51, 38],
      [54, 36],
      [137, 74],
    ],
    "2001:41d0",
  ),
  n(16276, "CA", "hosting", [
    [51, 79],
    [142, 44],
  ]),
  n(20473, "US", "hosting", [
    [45, 32],
    [45, 76],
    [149, 28],
  ]),
  n(20473, "JP", "hosting", [
    [45, 77],
    [139, 180],
  ]),
  n(63949, "US", "hosting", [
    [172, 104],
    [45, 79],
  ]),
  n(63949, "DE", "hosting", [[139, 162]]),
  n(45102, "SG", "hosting", [
    [47, 74],
    [8, 219],
  ]),
  n(132203, "SG", "hosting", [
    [43, 134],
    [129, 226],
  ]),
  n(9009, "NL", "hosting", [
    [185, 236],
    [37, 120],
  ]),
  n(9009, "GB", "hosting", [
    [185, 253],
    [146, 70],
  ]),
];

export const HOSTING_NETS = NETS.filter((x) => x.kind === "hosting");
/** The big clouds legitimate apps run on. */
export const CLOUD_NETS = HOSTING_NETS.filter((x) => [16509, 14618, 15169, 8075].includes(x.asn));
/** Cheap VPS / proxy-friendly providers. */
export const PROXY_NETS = HOSTING_NETS.filter((x) =>
  [14061, 24940, 16276, 20473, 63949, 45102, 9009, 132203].includes(x.asn),
);

export function netsOf(cc: string, kinds: readonly NetKind[]): Net[] {
  const found = NETS.filter((x) => x.country === cc && kinds.includes(x.kind));
  return found;
}

/** Residential networks of a country (falls back to US when a country has none of that kind). */
export function homeNets(cc: string): Net[] {
  const r = netsOf(cc, ["residential"]);
  return r.length > 0 ? r : netsOf("US", ["residential"]);
}

export function mobileNets(cc: string): Net[] {
  const m = netsOf(cc, ["mobile"]);
  return m.length > 0 ? m : homeNets(cc);
}

export function eduNet(cc: string, rng: Rng): Net {
  const e = netsOf(cc, ["edu"]);
  return e.length > 0 ? rng.pick(e) : rng.pick(NETS.filter((x) => x.kind === "edu"));
}

export function businessNet(cc: string, rng: Rng): Net {
  const b = netsOf(cc, ["business"]);
  return b.length > 0 ? rng.pick(b) : rng.pick(homeNets(cc));
}

/** A /24 inside a network: the first three octets. */
export interface Subnet24 {
  readonly net: Net;
  readonly prefix: string;
}

export function subnet24(net: Net, rng: Rng): Subnet24 {
  const p = rng.pick(net.v4);
  return { net, prefix: `${p[0]}.${p[1]}.${rng.int(256)}` };
}

export function ipIn24(s: Subnet24, rng: Rng): string {
  return `${s.prefix}.${rng.range(2, 254)}`;
}

export function ipv4(net: Net, rng: Rng): string {
  const p = rng.pick(net.v4);
  return `${p[0]}.${p[1]}.${rng.int(256)}.${rng.range(1, 254)}`;
}

export function ipv6(net: Net, rng: Rng): string {
  const hx = () => rng.int(65536).toString(16);
  const head = net.v6 ?? "2001:db8";
  const parts = head.split(":").length;
  const mid: string[] = [];
  for (let i = parts; i < 4; i++) mid.push(hx());
  return `${head}:${mid.join(":")}:${hx()}:${hx()}:${hx()}:${hx()}`;
}

/** A fixed address (home router, NAT, server) with its network. */
export interface Endpoint {
  readonly ip: string;
  readonly net: Net;
}

export function endpoint(net: Net, rng: Rng, v6Share = 0.15): Endpoint {
  const ip = net.v6 !== undefined && rng.chance(v6Share) ? ipv6(net, rng) : ipv4(net, rng);
  return { ip, net };
}

export function endpointIn24(s: Subnet24, rng: Rng): Endpoint {
  return { ip: ipIn24(s, rng), net: s.net };
}

export function pickCountry(rng: Rng): Country {
  return COUNTRY_PICKER.pick(rng);
}

export function pickTz(c: Country, rng: Rng): number {
  return rng.pick(c.tz);
}
