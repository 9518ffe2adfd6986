import * as Effect from "effect/Effect"
import { Lru } from "../Domain/Lru.js"
import { ChangeFeed } from "./ChangeFeed.js"
import { kindOf } from "./ChangeKeys.js"

/** How many rendered resources an instance keeps; the least recently used go first. */
export const maxEntries = 20_000

/**
 * Characters of rendered JSON an instance keeps (each also kept encoded, off the V8 heap): bounds
 * memory whatever the sizes of configurations and pages read. A value over an eighth of it is not kept.
 */
export const maxChars = 32 * 1024 * 1024

/** The characters of rendered JSON in a cached value: a rendered resource, a list of them, or an object holding one. */
export const weightOf = (value: unknown): number => {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + weightOf(item), 64)
  if (typeof value !== "object" || value === null) return 64
  const json = (value as { readonly json?: unknown }).json
  if (typeof json === "string") return json.length + 64
  return Object.values(value).reduce((sum: number, field) => sum + (typeof field === "object" ? weightOf(field) : 8), 64)
}

/**
 * Rendered reads kept in memory and dropped on every committed change the `ChangeFeed`
 * announces (from this instance or any other), and on this instance's own writes at once.
 * A read that raced a change is not kept; while the feed is not trusted (down, or unable to
 * prove it hears every change) nothing is served from memory or kept.
 *
 * An entry is dropped by a change to its own key, and, when kept with `droppedBy: prefix`, by
 * a change to any key with that prefix (a list of applications, by a change to any of them).
 */
export class ReadCache extends Effect.Service<ReadCache>()("ChangeFeed/ReadCache", {
  scoped: Effect.gen(function*() {
    const feed = yield* ChangeFeed
    /** Every `droppedBy` prefix asked for, and the keys kept with each, so a change drops them without a scan. */
    const prefixes = new Set<string>()
    const dependents = new Map<string, Set<string>>()
    const entries = new Lru<string, unknown>(maxEntries, maxChars, (evicted) => {
      for (const keys of dependents.values()) keys.delete(evicted)
    })
    /** Advances on every change; a read that began before a change to its key must not be kept. */
    let generation = 0
    let resetAt = 0
    const changedAt = new Map<string, number>()

    const reset = () => {
      generation++
      resetAt = generation
      entries.clear()
      dependents.clear()
      changedAt.clear()
    }

    const change = (key: string) => {
      const kind = kindOf(key)
      if (kind === "all") return reset()
      // A revision names no cached read: the application's and configuration's keys that come with it do.
      if (kind === "revision") return
      generation++
      changedAt.set(key, generation)
      entries.delete(key)
      for (const prefix of prefixes) {
        if (!key.startsWith(prefix)) continue
        changedAt.set(prefix, generation)
        for (const dependent of dependents.get(prefix) ?? []) entries.delete(dependent)
        dependents.delete(prefix)
      }
      if (changedAt.size > maxEntries * 4) reset()
    }

    yield* feed.subscribe({ change, reset, hint: change })

    /** Whether what was read of `key` from `startedAt` on may still be current: no change to it since, and the feed trusted. */
    const current = (key: string, startedAt: number, droppedBy: string | undefined) =>
      feed.trusted() && startedAt >= resetAt && (changedAt.get(key) ?? 0) <= startedAt &&
      (droppedBy === undefined || (changedAt.get(droppedBy) ?? 0) <= startedAt)

    const keep = (key: string, value: unknown, startedAt: number, droppedBy: string | undefined) => {
      if (!current(key, startedAt, droppedBy)) return
      const weight = weightOf(value)
      if (weight > maxChars / 8) return
      entries.set(key, value, weight)
      if (droppedBy !== undefined) {
        const keys = dependents.get(droppedBy) ?? new Set()
        dependents.set(droppedBy, keys.add(key))
      }
    }

    /** Loads outside Effect running now, by key (see `shared`). */
    const inflight = new Map<string, { readonly startedAt: number; readonly value: Promise<unknown> }>()

    /** Starts a load of `key`: `kept` keeps what it gives unless a change raced it (one since `startedAt`). */
    const loading = (key: string, droppedBy: string | undefined) => {
      if (droppedBy !== undefined) prefixes.add(droppedBy)
      const startedAt = generation
      return { startedAt, kept: (value: unknown) => keep(key, value, startedAt, droppedBy) }
    }

    return {
      /** The cached value for `key`, or `load`'s (kept unless a change raced it). */
      through: <A, E, R>(
        key: string,
        load: Effect.Effect<A, E, R>,
        options: { readonly droppedBy?: string } = {}
      ): Effect.Effect<A, E, R> =>
        Effect.suspend(() => {
          const cached = feed.trusted() ? entries.get(key) : undefined
          if (cached !== undefined) return Effect.succeed(cached as A)
          return Effect.tap(load, loading(key, options.droppedBy).kept)
        }),
      /**
       * `key` loaded outside Effect (the fast path's misses) by `load` (undefined: no such
       * resource), its value kept by the rule `through` keeps by. Requests that ask while a load
       * of `key` runs share it, as long as no change to `key` came since it started.
       */
      shared: (key: string, load: () => Promise<unknown>): Promise<unknown> => {
        const running = inflight.get(key)
        if (running !== undefined && current(key, running.startedAt, undefined)) return running.value
        const { kept, startedAt } = loading(key, undefined)
        const value = load().then((loaded) => {
          if (loaded !== undefined) kept(loaded)
          return loaded
        }).finally(() => {
          if (inflight.get(key)?.value === value) inflight.delete(key)
        })
        inflight.set(key, { startedAt, value })
        return value
      },
      /** The value cached for `key`, if any and the feed is trusted, without loading it. */
      peek: (key: string): unknown => (feed.trusted() ? entries.get(key) : undefined),
      /** Forget `keys` now, after this instance committed a change to them, and have the feed tell every instance (done once it has). */
      changed: (...keys: ReadonlyArray<string>) =>
        Effect.suspend(() => {
          keys.forEach(change)
          return Effect.promise(() => feed.announce(keys))
        })
    } as const
  })
}) {}
