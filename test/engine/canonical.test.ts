import { describe, expect, it } from "vitest";
import { canonicalOrder } from "../../lib/engine/canonical.ts";

describe("canonicalOrder", () => {
  it("orders by every column in turn: nulls first, numbers by value, strings by code unit", () => {
    // Prepare
    const rows = [
      { account: "b", n: 10, tags: ["x"] },
      { account: "a", n: 9, tags: null },
      { account: null, n: 1, tags: null },
      { account: "a", n: 10, tags: ["y"] },
      { account: "a", n: 10, tags: ["x"] },
      { account: "B", n: 0, tags: null },
    ];
    // Act
    const sorted = canonicalOrder([...rows]);
    // Assess
    expect(sorted).toEqual([
      { account: null, n: 1, tags: null },
      { account: "B", n: 0, tags: null },
      { account: "a", n: 9, tags: null },
      { account: "a", n: 10, tags: ["x"] },
      { account: "a", n: 10, tags: ["y"] },
      { account: "b", n: 10, tags: ["x"] },
    ]);
  });

  it("gives the same order whatever order the rows arrive in", () => {
    // Prepare
    const rows = Array.from({ length: 200 }, (_, i) => ({ k: `k${i % 7}`, v: (i * 37) % 11 }));
    // Act
    const forward = canonicalOrder([...rows]);
    const backward = canonicalOrder([...rows].reverse());
    // Assess
    expect(backward).toEqual(forward);
  });
});
