import * as HttpApi from "@effect/platform/HttpApi"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"

/** Where the API's operations are: every path under it is the API's (authenticated, documented). */
export const apiPrefix = "/api/v1"

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
