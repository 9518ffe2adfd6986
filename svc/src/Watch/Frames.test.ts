import { describe, expect, it } from "@effect/vitest"
import { changeFrame, deletedFrame, heartbeatFrame, openingFrame, resetFrame, snapshotFrame } from "./Frames.js"

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe("Watch/Frames", () => {
  it("changes and snapshots carry their revision as id; each frame is one event", () => {
    const change = changeFrame(7, `{"revision":7}`)
    expect(change.revision).toBe(7)
    expect(text(change.bytes)).toBe(`id: 7\nevent: change\ndata: {"revision":7}\n\n`)
    expect(text(snapshotFrame(3, "{}").bytes)).toBe("id: 3\nevent: snapshot\ndata: {}\n\n")
    expect(text(heartbeatFrame)).toBe(": keep-alive\n\n")
    expect(text(openingFrame("01ARZ3NDEKTSV4RRFFQ69G5FAV"))).toBe(": watching application 01ARZ3NDEKTSV4RRFFQ69G5FAV\n\n")
  })

  it("a reset says why, without an id (the client keeps its last one); deleted names the application", () => {
    const pruned = text(resetFrame(2, 5))
    expect(pruned).toMatch(/^event: reset\ndata: \{.*\}\n\n$/)
    expect(JSON.parse(pruned.split("data: ")[1]!)).toMatchObject({ earliest_revision: 5 })
    const unknown = JSON.parse(text(resetFrame(9, undefined)).split("data: ")[1]!)
    expect(unknown.earliest_revision).toBeUndefined()
    expect(unknown.message).toMatch(/no such revision/)
    expect(JSON.parse(text(deletedFrame("X")).split("data: ")[1]!)).toMatchObject({ id: "X" })
  })
})
