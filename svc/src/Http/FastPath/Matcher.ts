import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * The paths a route such as `/api/v1/applications/:id/validate` names, each `:param` one whole
 * non-empty segment, taken only in their canonical spelling: the route's own path schema decodes
 * the params, and encoding them again gives back the same text (a lower-case ULID, which the API
 * also reads, goes to the API). Gives the decoded path, else undefined.
 */
export const pathMatcher = <A, I>(route: string, schema: Schema.Schema<A, I> | undefined) => {
  // Literal text at even indexes, param names at odd ones.
  const pieces = route.split(/:(\w+)/)
  for (let i = 1; i < pieces.length; i += 2) {
    if (!pieces[i - 1]!.endsWith("/") || !(pieces[i + 1] === "" || pieces[i + 1]!.startsWith("/"))) {
      throw new Error(`${route}: the parameter ${pieces[i]} is not a whole segment`)
    }
  }
  const names = pieces.filter((_, i) => i % 2 === 1)
  const decode = schema && Schema.decodeUnknownEither(schema)
  const encode = schema && Schema.encodeEither(schema)
  const canonical = (params: Record<string, string>) => {
    if (decode === undefined) return params
    const decoded = decode(params)
    if (Either.isLeft(decoded)) return undefined
    const encoded = encode!(decoded.right) as Either.Either<Record<string, unknown>, unknown>
    const same = Either.isRight(encoded) && names.every((name) => encoded.right[name] === params[name])
    return same ? decoded.right : undefined
  }
  return (path: string): unknown => {
    const params: Record<string, string> = {}
    let at = 0
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!
      if (i % 2 === 0) {
        if (!path.startsWith(piece, at)) return undefined
        at += piece.length
        continue
      }
      const slash = path.indexOf("/", at)
      const end = slash < 0 ? path.length : slash
      if (end === at) return undefined
      params[piece] = path.slice(at, end)
      at = end
    }
    return at === path.length ? canonical(params) : undefined
  }
}

export interface Route<A> {
  readonly method: string
  /** What the route makes of a path (the URL before any query), or undefined when it does not take it. */
  readonly match: (path: string) => A | undefined
}

/** How many paths a matcher remembers; past that it forgets them all and learns them again. */
export const rememberedPaths = 10_000

/** Longer paths are matched anew each time (a path the fast path takes is far shorter). */
export const rememberedLength = 128

/**
 * Which of `routes` takes a request, by method and the path of its URL, and what it made of the
 * path. What it found for a path is remembered, so a repeated request costs a map lookup, not a decode.
 */
export const routeMatcher = <A>(routes: ReadonlyArray<Route<A>>) => {
  const byMethod = new Map<string, { readonly routes: Array<Route<A>>; readonly known: Map<string, A | null> }>()
  for (const route of routes) {
    const entry = byMethod.get(route.method) ?? { routes: new Array<Route<A>>(), known: new Map<string, A | null>() }
    entry.routes.push(route)
    byMethod.set(route.method, entry)
  }
  const find = (routes: ReadonlyArray<Route<A>>, path: string) => {
    for (const route of routes) {
      const taken = route.match(path)
      if (taken !== undefined) return taken
    }
    return null
  }
  return (method: string, url: string): A | undefined => {
    const entry = byMethod.get(method)
    if (entry === undefined) return undefined
    const query = url.indexOf("?")
    const path = query < 0 ? url : url.slice(0, query)
    let found = entry.known.get(path)
    if (found === undefined) {
      found = find(entry.routes, path)
      if (path.length <= rememberedLength) {
        if (entry.known.size >= rememberedPaths) entry.known.clear()
        entry.known.set(path, found)
      }
    }
    return found ?? undefined
  }
}
