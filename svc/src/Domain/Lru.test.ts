import { describe, expect, it } from "@effect/vitest"
import { Lru } from "./Lru.js"

describe("Lru", () => {
  it("drops the least recently used beyond its count", () => {
    const lru = new Lru<string, number>(2, 100)
    lru.set("a", 1, 1)
    lru.set("b", 2, 1)
    expect(lru.get("a")).toBe(1)
    lru.set("c", 3, 1)
    expect(lru.get("b")).toBeUndefined()
    expect([lru.get("a"), lru.get("c"), lru.size]).toEqual([1, 3, 2])
  })

  it("drops the least recently used beyond its weight, but keeps what was just set", () => {
    const lru = new Lru<string, number>(10, 10)
    lru.set("a", 1, 4)
    lru.set("b", 2, 4)
    lru.set("c", 3, 4)
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([undefined, 2, 3])
    lru.set("huge", 4, 50)
    expect([lru.get("b"), lru.get("c"), lru.get("huge"), lru.size]).toEqual([undefined, undefined, 4, 1])
  })

  it("replaces an entry set again, with its new weight", () => {
    const lru = new Lru<string, number>(10, 10)
    lru.set("a", 1, 9)
    lru.set("a", 2, 1)
    lru.set("b", 3, 9)
    expect([lru.get("a"), lru.get("b"), lru.size]).toEqual([2, 3, 2])
  })

  it("tells each entry it drops to make room, and forgets one deleted or cleared", () => {
    const dropped: Array<string> = []
    const lru = new Lru<string, number>(2, 100, (key) => dropped.push(key))
    lru.set("a", 1, 1)
    lru.set("b", 2, 1)
    lru.set("c", 3, 1)
    lru.delete("b")
    expect([dropped, lru.get("b"), lru.size]).toEqual([["a"], undefined, 1])
    lru.set("d", 4, 99)
    lru.set("e", 5, 1)
    expect(dropped).toEqual(["a", "c"])
    lru.clear()
    expect([lru.get("d"), lru.get("e"), lru.size]).toEqual([undefined, undefined, 0])
    lru.set("f", 6, 100)
    expect([lru.get("f"), dropped]).toEqual([6, ["a", "c"]])
  })
})
