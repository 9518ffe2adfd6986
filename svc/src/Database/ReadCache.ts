import * as Effect from "effect/Effect"
import { ChangeFeed } from "./ChangeFeed.js"

/** How many rendered resources an instance keeps. */
export const maxEntries = 20_000

/**
 * Rendered reads kept in memory and dropped on every committed change the `ChangeFeed`
 * announces (from this instance or any other), and on this instance's own writes at once.
 * A read that raced a change is not kept; while the feed is not trusted (down, or unable to
 * prove it hears every change) nothing is served from memory or kept.
 *
 * Keys: `c:<configuration id>`, `a:<application id>`, and `list:…` for application lists,
 * which any `a:` change drops.
 */
export class ReadCache extends Effect.Service<ReadCache>()("Database/ReadCache", {
  scoped: Effect.gen(function*() {
    const feed = yield* ChangeFeed
    const entries = new Map<string, unknown>()
    /** The keys of cached application lists, so a change drops them without a scan of every entry. */
    const lists = new Set<string>()
    /** Advances on every change; a read that began before a change to its key must not be kept. */
    let generation = 0
    let resetAt = 0
    let listsChangedAt = 0
    const changedAt = new Map<string, number>()

    const reset = () => {
      generation++
      resetAt = generation
      entries.clear()
      lists.clear()
      changedAt.clear()
    }

    const change = (key: string) => {
      if (key === "*") return reset()
      generation++
      changedAt.set(key, generation)
      entries.delete(key)
      if (key.startsWith("a:")) {
        listsChangedAt = generation
        for (const list of lists) entries.delete(list)
        lists.clear()
      }
      if (changedAt.size > maxEntries * 4) reset()
    }

    yield* feed.subscribe({ change, reset })

    const keep = (key: string, value: unknown, startedAt: number) => {
      if (!feed.trusted() || startedAt < resetAt) return
      if ((changedAt.get(key) ?? 0) > startedAt) return
      if (key.startsWith("list:") && listsChangedAt > startedAt) return
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value!
        entries.delete(oldest)
        lists.delete(oldest)
      }
      entries.set(key, value)
      if (key.startsWith("list:")) lists.add(key)
    }

    return {
      /** The cached value for `key`, or `load`'s (kept unless a change raced it). */
      through: <A, E, R>(key: string, load: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.suspend(() => {
          if (entries.has(key) && feed.trusted()) return Effect.succeed(entries.get(key) as A)
          const startedAt = generation
          return Effect.tap(load, (value) => keep(key, value, startedAt))
        }),
      /** The value cached for `key`, if any and the feed is trusted, without loading it. */
      peek: (key: string): unknown => (feed.trusted() ? entries.get(key) : undefined),
      /** Forget `keys` now (this instance's own writes; the feed will announce them to the others). */
      changed: (...keys: ReadonlyArray<string>) => Effect.sync(() => keys.forEach(change))
    } as const
  })
}) {}
