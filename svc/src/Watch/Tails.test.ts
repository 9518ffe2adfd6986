import { expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { ChangeFeed } from "../ChangeFeed/ChangeFeed.js"
import type { ApplicationId } from "../Domain/Ids.js"
import { Shutdown } from "../Domain/Shutdown.js"
import { manualFeed } from "../../test/ManualFeed.js"
import { manualShutdown } from "../../test/Shutdown.js"
import type { ChangesAfter } from "../History/Resource.js"
import { WatchRepo } from "./Repo.js"
import type { Subscriber } from "./Subscriber.js"
import { Tails } from "./Tails.js"
import { WatchTuning } from "./Tuning.js"

const app = "01ARZ3NDEKTSV4RRFFQ69G5FA1" as ApplicationId

/** A log the test appends to, read as the repository would; counts the reads. */
const makeLog = () => {
  const log: Array<string> = []
  const reads = { events: 0, gone: false }
  const repo = WatchRepo.make({
    revision: () => Effect.succeed(reads.gone ? undefined : log.length),
    events: (_id: ApplicationId, after: number, limit: number) =>
      Effect.sync((): ChangesAfter | undefined => {
        reads.events++
        if (reads.gone) return undefined
        const changes = log.slice(after, after + limit).map((json, i) => ({ revision: after + i + 1, json }))
        return { _tag: "Changes", current: log.length, changes }
      })
  } as any)
  return { log, reads, repo }
}

/** A change feed the test speaks for. */
const makeFeed = () => {
  const { change, feed } = manualFeed()
  return { feed, announce: change }
}

const sleep = (ms: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))

const until = (condition: () => boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 500 && !condition(); i++) yield* sleep(10)
    return condition()
  })

const revisionsIn = (subscriber: Subscriber) => subscriber.queue.map((frame) => frame.revision)

const setup = (tuning: Partial<typeof WatchTuning.Service> = {}) => {
  const { log, reads, repo } = makeLog()
  const { announce, feed } = makeFeed()
  const server = manualShutdown()
  const layer = Tails.DefaultWithoutDependencies.pipe(
    Layer.provide(Layer.succeed(WatchRepo, repo)),
    Layer.provide(Layer.succeed(ChangeFeed, feed)),
    Layer.provide(Layer.succeed(Shutdown, server.shutdown)),
    Layer.provide(Layer.succeed(WatchTuning, { ...WatchTuning.defaultValue(), ...tuning }))
  )
  return { announce, layer, log, reads, server }
}

it.scoped("one read per change however many streams watch; each gets every change, in order", () =>
  Effect.gen(function*() {
    const { announce, layer, log, reads } = setup()
    const tails = Context.get(yield* Layer.build(layer), Tails)
    log.push("{}", "{}")
    const subscribers = yield* Effect.forEach(Array.from({ length: 200 }), () => tails.subscribe(app, () => {}))
    expect(yield* until(() => reads.events === 0 && tails.stats().tails === 1)).toBe(true)
    yield* sleep(100)
    expect(tails.stats()).toEqual({ tails: 1, streams: 200 })
    for (let revision = 3; revision <= 7; revision++) {
      log.push(`{"n":${revision}}`)
      announce(`r:${app}:${revision}`)
      // An announcement of a revision already read wakes nobody.
      announce(`r:${app}:${revision - 1}`)
      expect(yield* until(() => revisionsIn(subscribers[0]!.subscriber).length === revision - 2)).toBe(true)
    }
    expect(reads.events).toBe(5)
    for (const { subscriber } of subscribers) expect(revisionsIn(subscriber)).toEqual([3, 4, 5, 6, 7])
    expect(subscribers[0]!.tail.cursor()).toBe(7)
  }))

it.scoped("a stream whose client leaves more than the bound unread is dropped: its connection cut, the others go on", () =>
  Effect.gen(function*() {
    const { announce, layer, log } = setup({ maxBufferedBytes: 1_000 })
    const tails = Context.get(yield* Layer.build(layer), Tails)
    let cut = 0
    const slow = yield* tails.subscribe(app, () => cut++)
    const fast = yield* tails.subscribe(app, () => {})
    yield* sleep(100)
    for (let revision = 1; revision <= 6; revision++) {
      log.push(JSON.stringify({ padding: "x".repeat(200) }))
      announce(`r:${app}:${revision}`)
      expect(yield* until(() => fast.subscriber.queue.length > 0)).toBe(true)
      fast.subscriber.queue.length = 0
      fast.subscriber.queuedBytes = 0
    }
    expect(cut).toBe(1)
    expect([slow.subscriber.ended, slow.subscriber.queue.length]).toEqual([true, 0])
    expect(fast.subscriber.ended).toBe(false)
    expect(tails.stats().streams).toBe(1)
  }))

it.scoped("draining ends every stream at once, and the streams that come after", () =>
  Effect.gen(function*() {
    const { layer, server } = setup()
    const tails = Context.get(yield* Layer.build(layer), Tails)
    const before = yield* tails.subscribe(app, () => {})
    let woken = false
    before.subscriber.wake = () => (woken = true)
    server.drain()
    expect([before.subscriber.ended, woken]).toEqual([true, true])
    expect((yield* tails.subscribe(app, () => {})).subscriber.ended).toBe(true)
  }))

it.scoped("a change to the application itself wakes its tail, which tells its streams once it is gone", () =>
  Effect.gen(function*() {
    const { announce, layer, log, reads } = setup()
    const tails = Context.get(yield* Layer.build(layer), Tails)
    const { subscriber, tail } = yield* tails.subscribe(app, () => {})
    expect(yield* until(() => tail.cursor() === 0)).toBe(true)
    log.push("{}")
    announce("*")
    expect(yield* until(() => tail.cursor() === 1)).toBe(true)
    subscriber.signaled = false
    reads.gone = true
    announce(`a:${app}`)
    expect(yield* until(() => tail.deleted())).toBe(true)
    expect(subscriber.signaled).toBe(true)
  }))
