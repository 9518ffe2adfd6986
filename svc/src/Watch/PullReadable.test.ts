import { expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { pullReadable } from "./PullReadable.js"

const bytes = (text: string) => new TextEncoder().encode(text)

const collect = (readable: NodeJS.ReadableStream) =>
  Effect.promise(async () => {
    const chunks: Array<string> = []
    for await (const chunk of readable) chunks.push(Buffer.from(chunk as Uint8Array).toString())
    return chunks.join("")
  })

it.live("pushes each pull's frames in order, and ends when the pull fails with None", () =>
  Effect.gen(function*() {
    const pages = [["a", "b"], [], ["c"]]
    let pulls = 0
    const next = Effect.suspend(() => {
      pulls++
      const page = pages.shift()
      return page === undefined
        ? Effect.fail(Option.none())
        : Effect.succeed(Chunk.fromIterable(page.map(bytes)))
    })
    const readable = pullReadable(yield* Effect.runtime<never>(), next)
    expect(yield* collect(readable)).toBe("abc")
    expect(pulls).toBe(4)
  }))

it.live("one pull at a time; destroying it interrupts the pull that is waiting", () =>
  Effect.gen(function*() {
    let started = 0
    let interrupted = 0
    const next: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<never>> = Effect.zipRight(
      Effect.sync(() => started++),
      Effect.onInterrupt(Effect.never, () => Effect.sync(() => interrupted++))
    )
    const readable = pullReadable(yield* Effect.runtime<never>(), next)
    readable.read()
    readable.read()
    yield* Effect.sleep("50 millis")
    expect(started).toBe(1)
    readable.destroy()
    yield* Effect.sleep("50 millis")
    expect(interrupted).toBe(1)
  }))

it.live("a defect in a pull destroys it with the cause", () =>
  Effect.gen(function*() {
    const readable = pullReadable(yield* Effect.runtime<never>(), Effect.die(new Error("boom")))
    const error = yield* Effect.promise(() =>
      new Promise<Error>((resolve) => {
        readable.once("error", resolve)
        readable.resume()
      })
    )
    expect(error.message).toContain("boom")
  }))
