import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { freePort, holdPort } from "../../test/Net.js"
import { browserBase, checkListen, PortUnavailable } from "./Listen.js"

describe("checkListen", () => {
  it.live("succeeds on a free port and leaves it free", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      yield* checkListen("127.0.0.1", port)
      yield* checkListen("127.0.0.1", port)
      yield* Effect.scoped(holdPort("127.0.0.1", port))
    }))

  it.scopedLive("a taken port fails with one line saying which setting to change", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      yield* holdPort("127.0.0.1", port)
      const error = yield* Effect.flip(checkListen("127.0.0.1", port))
      expect(error).toBeInstanceOf(PortUnavailable)
      expect(error.message).toBe(`PORT ${port} is already in use on 127.0.0.1; set PORT to a free port`)
    }))

  it.live("a HOST that is not an address of this machine says so", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(checkListen("192.0.2.1", yield* freePort))
      expect(error.message).toBe(
        "HOST 192.0.2.1 is not an address of this machine; set HOST to one of its addresses, or 0.0.0.0 for all"
      )
    }))
})

describe("PortUnavailable.of", () => {
  const code = (c: string) => Object.assign(new Error(c), { code: c })

  it("names the setting to change for each reason", () => {
    expect(PortUnavailable.of(code("EACCES"), "0.0.0.0", 80).message)
      .toBe("PORT 80 on 0.0.0.0 needs privileges this process does not have; set PORT to 1024 or above")
    expect(PortUnavailable.of(code("ENOTFOUND"), "nowhere.invalid", 8080).message)
      .toMatch(/^HOST nowhere\.invalid is not/)
    expect(PortUnavailable.of(code("EMFILE"), "::", 8080).message)
      .toBe("cannot listen on :::8080 (EMFILE); check HOST and PORT")
    expect(PortUnavailable.of("odd", "::", 8080).message).toBe("cannot listen on :::8080 (odd); check HOST and PORT")
  })
})

describe("browserBase", () => {
  it("all interfaces are localhost to a browser; IPv6 addresses are bracketed", () => {
    expect(browserBase({ _tag: "TcpAddress", hostname: "0.0.0.0", port: 8080 })).toBe("http://localhost:8080")
    expect(browserBase({ _tag: "TcpAddress", hostname: "::", port: 8080 })).toBe("http://localhost:8080")
    expect(browserBase({ _tag: "TcpAddress", hostname: "127.0.0.1", port: 3000 })).toBe("http://127.0.0.1:3000")
    expect(browserBase({ _tag: "TcpAddress", hostname: "::1", port: 3000 })).toBe("http://[::1]:3000")
    expect(browserBase({ _tag: "UnixAddress", path: "/run/config.sock" })).toBe("unix:///run/config.sock")
  })
})
