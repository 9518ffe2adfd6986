import { it } from "@effect/vitest"

/**
 * Test files share a worker's modules (`isolate: false`). `it.layer` replaces `it.effect`,
 * `it.scoped` and `it.layer` on the shared `it` with its layer's own, so each file starts from
 * the methods `it` had before any file ran.
 */
const methods = ["effect", "scoped", "live", "scopedLive", "flakyTest", "layer", "prop"] as const
const key = Symbol.for("config-service/test/setup/pristine-it")
const store = globalThis as { [key]?: Pick<typeof it, (typeof methods)[number]> }
const pristine = store[key] ??= Object.fromEntries(methods.map((method) => [method, it[method]])) as Pick<typeof it, (typeof methods)[number]>
Object.assign(it, pristine)
