import { createRequire } from "node:module"
import { livePatternOverhead, maxLivePatternSize } from "./Limits.js"

type Re2Module = typeof import("re2-wasm")
type Re2 = InstanceType<Re2Module["RE2"]>

/**
 * The re2-wasm module and the compiled expressions alive in it. Its WebAssembly heap is a fixed 16 MiB
 * that it never frees by itself: an expression lives until `delete`d, and a heap that fills aborts the
 * module for good. So expressions are kept in a bounded pool, the least recently used deleted to make
 * room (and compiled again if wanted again), and an aborted module is replaced by a fresh one.
 */
const require = createRequire(import.meta.url)

const load = (): Re2Module => {
  for (const id of [require.resolve("re2-wasm"), require.resolve("re2-wasm/build/wasm/re2")]) delete require.cache[id]
  return require("re2-wasm") as Re2Module
}

let module = load()
/** Keyed by the holder of an expression (one per pattern per compiled schema), most recently used last. */
const live = new Map<object, { readonly re2: Re2; readonly size: number }>()
let liveSize = 0

const release = (re2: Re2) => (re2 as unknown as { wrapper: { delete(): void } }).wrapper.delete()

const makeRoom = (size: number) => {
  for (const [holder, entry] of live) {
    if (liveSize + size <= maxLivePatternSize) return
    live.delete(holder)
    liveSize -= entry.size
    release(entry.re2)
  }
}

const isAbort = (e: unknown) => e instanceof WebAssembly.RuntimeError

/** Runs `f` on the module, once more on a fresh module when the heap ran out (after which nothing else is alive). */
const recovering = <A>(f: () => A): A => {
  try {
    return f()
  } catch (e) {
    if (!isAbort(e)) throw e
    module = load()
    live.clear()
    liveSize = 0
    return f()
  }
}

/** The compiled expression of `holder`, compiling it (as a JavaScript `u` pattern) unless it is still alive. */
export const expression = (holder: object, source: string, size: number): Re2 =>
  recovering(() => {
    const entry = live.get(holder)
    if (entry) {
      live.delete(holder)
      live.set(holder, entry)
      return entry.re2
    }
    const cost = size + livePatternOverhead
    makeRoom(cost)
    const re2 = new module.RE2(source, "u")
    live.set(holder, { re2, size: cost })
    liveSize += cost
    return re2
  })

export const test = (holder: object, source: string, size: number, text: string): boolean =>
  recovering(() => expression(holder, source, size).test(text))

/** Compiled expressions alive now and their summed size, for tests. */
export const liveExpressions = () => ({ count: live.size, size: liveSize })

