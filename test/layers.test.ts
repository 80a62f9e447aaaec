import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Detection is layered: the shared vocabulary (lib/domain) imports nothing of ours; scoring fuses
 * signals without knowing which detector made them or how findings look; detectors and findings
 * build on those two. A cycle between these folders would let a change in one silently reshape
 * another, so the folder graph is checked from the import statements themselves.
 */
const LAYERED = ["domain", "scoring", "detectors", "findings"];

/** The folder under lib/ a file belongs to (a file at lib/'s top is its own node). */
function folderOf(file: string): string {
  return relative("lib", file).split("/")[0] as string;
}

function libImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of readdirSync("lib", { recursive: true }) as string[]) {
    if (!file.endsWith(".ts")) continue;
    const path = join("lib", file);
    const from = folderOf(path);
    for (const m of readFileSync(path, "utf8").matchAll(/from\s+"(\.[^"]+)"/g)) {
      const target = normalize(join(dirname(path), m[1] as string));
      if (!target.startsWith("lib/")) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Set<string>();
      edges.add(to);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** A cycle through the given folders, as a path, or undefined. */
function cycleAmong(graph: Map<string, Set<string>>, nodes: readonly string[]): string[] | undefined {
  const inside = new Set(nodes);
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!inside.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of nodes) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

describe("the detection layers", () => {
  const graph = libImports();

  it("keep the shared vocabulary free of our own modules", () => {
    expect([...(graph.get("domain") ?? [])]).toEqual([]);
  });

  it("fuse signals in scoring without knowing detectors or findings", () => {
    const scoring = graph.get("scoring") ?? new Set<string>();
    expect(scoring.has("detectors")).toBe(false);
    expect(scoring.has("findings")).toBe(false);
  });

  it("form no cycle between domain, scoring, detectors and findings", () => {
    // The check itself finds a cycle when there is one.
    const looped = new Map([...graph, ["scoring", new Set([...(graph.get("scoring") ?? []), "findings"])]]);
    expect(cycleAmong(looped, LAYERED)).toBeDefined();
    expect(cycleAmong(graph, LAYERED)).toBeUndefined();
  });
});
