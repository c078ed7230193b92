import { describe, expect, it } from "vitest";
import { LinkedList } from "../src/chat/linked-list.js";

describe("LinkedList", () => {
  it("keeps items in the order they came, each removed once from wherever it is", () => {
    const list = new LinkedList<string>();
    const [a, b, c, d] = ["a", "b", "c", "d"].map((item) => list.push(item));
    expect(list.remove(b!)).toBe(true);
    expect(list.remove(b!)).toBe(false);
    expect(list.values()).toEqual(["a", "c", "d"]);
    list.remove(a!);
    list.remove(d!);
    expect([list.first(), list.size]).toEqual(["c", 1]);
    list.remove(c!);
    expect([list.first(), list.size, list.values()]).toEqual([undefined, 0, []]);
  });

  it("lets items leave while the values taken before are used", () => {
    const list = new LinkedList<number>();
    const links = [1, 2, 3].map((n) => list.push(n));
    const seen: number[] = [];
    for (const n of list.values()) {
      seen.push(n);
      links.forEach((link) => list.remove(link));
    }
    expect([seen, list.size]).toEqual([[1, 2, 3], 0]);
  });

  it("holds nothing of an item once it is removed", () => {
    const list = new LinkedList<object>();
    const removed = list.push({});
    const kept = list.push({});
    list.remove(removed);
    expect([removed.value, removed.prev, removed.next, kept.prev, list.size]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    ]);
    expect(list.remove(removed)).toBe(false);
  });
});
