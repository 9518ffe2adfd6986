import * as HttpApi from "@effect/platform/HttpApi"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"
import { canonicalUlid, ulidLength } from "../../Domain/Ids.js"

/** Where the API's operations are: every path under it is the API's (authenticated, documented). */
export const apiPrefix = "/api/v1"

/**
 * The id in a request URL that is exactly `urlOf(id)` for a canonical id (no query string, no
 * other path): how the shortcuts recognise the requests they may answer. Undefined otherwise.
 */
export const idIn = (urlOf: (id: string) => string) => {
  const [before, after] = urlOf("\0").split("\0") as [string, string]
  return (url: string): string | undefined => {
    if (url.length !== before.length + ulidLength + after.length || !url.startsWith(before) || !url.endsWith(after)) {
      return undefined
    }
    const id = url.slice(before.length, before.length + ulidLength)
    return canonicalUlid.test(id) ? id : undefined
  }
}

export interface Route {
  readonly method: string
  readonly path: string
  /** The query parameters the operation declares. */
  readonly queryNames: ReadonlyArray<string>
  /** The route's path as a pattern: each `:param` one segment. */
  readonly pattern: RegExp
}

const patternOf = (path: string) =>
  new RegExp(`^${path.split("/").map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}$`)

/** Every operation of `api`, as method and path pattern. */
export const routesOf = (api: HttpApi.HttpApi.Any): ReadonlyArray<Route> => {
  const routes: Array<Route> = []
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) =>
      routes.push({
        method: endpoint.method,
        path: endpoint.path,
        queryNames: Option.match(endpoint.urlParamsSchema, {
          onNone: () => [],
          onSome: (schema) => AST.getPropertySignatures(schema.ast).map((signature) => String(signature.name))
        }),
        pattern: patternOf(endpoint.path)
      })
  })
  return routes
}

/**
 * The methods a path answers, for a request whose method it does not (405 with `Allow`):
 * empty for an unknown path. GET implies HEAD.
 */
export const allowedMethods = (routes: ReadonlyArray<Route>) => (path: string): ReadonlyArray<string> => {
  const methods = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))
  if (methods.has("GET")) methods.add("HEAD")
  return [...methods].sort()
}
