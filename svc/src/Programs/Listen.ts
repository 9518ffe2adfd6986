import type * as HttpServer from "@effect/platform/HttpServer"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { createServer } from "node:net"

/** HOST:PORT cannot be listened on; the message says which setting to change. */
export class PortUnavailable extends Data.TaggedError("PortUnavailable")<{ readonly message: string }> {
  static of(error: unknown, host: string, port: number) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    return new PortUnavailable({
      message: code === "EADDRINUSE"
        ? `PORT ${port} is already in use on ${host}; set PORT to a free port`
        : code === "EACCES"
        ? `PORT ${port} on ${host} needs privileges this process does not have; set PORT to 1024 or above`
        : code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? `HOST ${host} is not an address of this machine; set HOST to one of its addresses, or 0.0.0.0 for all`
        : `cannot listen on ${host}:${port} (${code ?? String(error)}); check HOST and PORT`
    })
  }
}

/**
 * Listens on HOST:PORT and closes again, so a port that is taken stops the service before it
 * starts anything else (such as its embedded PostgreSQL).
 */
export const checkListen = (host: string, port: number) =>
  Effect.async<void, PortUnavailable>((resume) => {
    const probe = createServer()
    probe.once("error", (error) => resume(Effect.fail(PortUnavailable.of(error, host, port))))
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resume(Effect.void)))
  })

/** The address as a browser can open it: all interfaces (0.0.0.0, ::) are `localhost` there. */
export const browserBase = (address: HttpServer.Address): string => {
  if (address._tag === "UnixAddress") return `unix://${address.path}`
  const host = address.hostname === "0.0.0.0" || address.hostname === "::"
    ? "localhost"
    : address.hostname.includes(":")
    ? `[${address.hostname}]`
    : address.hostname
  return `http://${host}:${address.port}`
}
