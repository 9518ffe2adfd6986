import { describe, expect, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Duration, Effect, LogLevel, Option, Redacted } from "effect"
import { defaultKeyName } from "./Domain/ApiKeys.js"
import { databaseUrlProblem, parseBytes, Settings, SettingsConfig } from "./Settings.js"

const load = (values: Record<string, string>) => Effect.withConfigProvider(SettingsConfig, ConfigProvider.fromJson(values))

/** The ConfigError for a bad value, as the service reports it. */
const failure = (values: Record<string, string>) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(load(values))
    expect(ConfigError.isConfigError(error)).toBe(true)
    return String(error)
  })

describe("Settings", () => {
  it.effect("defaults", () =>
    Effect.gen(function*() {
      const settings = yield* load({})
      expect(settings.port).toBe(8080)
      expect(settings.host).toBe("0.0.0.0")
      expect(Option.isNone(settings.databaseUrl)).toBe(true)
      expect(settings.databasePoolSize).toBe(10)
      expect(settings.logLevel).toBe(LogLevel.Info)
      expect(settings.logFormat).toBe("pretty")
      expect(settings.bodyLimit).toBe(1048576)
      expect(settings.migrateOnStart).toBe(true)
      expect(settings.embeddedPgDir).toMatch(/[/\\]\.data\/postgres$/)
      expect(Duration.toMillis(settings.databaseConnectTimeout)).toBe(2_000)
      expect(Duration.toMillis(settings.databaseStatementTimeout)).toBe(10_000)
    }))

  it.effect("reads every setting", () =>
    Effect.gen(function*() {
      const settings = yield* load({
        PORT: "3000",
        HOST: "127.0.0.1",
        DATABASE_URL: "postgres://u:p@db:5432/config",
        DATABASE_POOL_SIZE: "25",
        DATABASE_CONNECT_TIMEOUT: "500 millis",
        DATABASE_STATEMENT_TIMEOUT: "30 seconds",
        LOG_LEVEL: "debug",
        LOG_FORMAT: "json",
        BODY_LIMIT: "512KiB",
        MIGRATE_ON_START: "false",
        EMBEDDED_PG_DIR: "/var/lib/config-service"
      })
      expect(settings).toMatchObject({
        port: 3000,
        host: "127.0.0.1",
        databasePoolSize: 25,
        logLevel: LogLevel.Debug,
        logFormat: "json",
        bodyLimit: 512 * 1024,
        migrateOnStart: false,
        embeddedPgDir: "/var/lib/config-service"
      })
      expect(Option.map(settings.databaseUrl, Redacted.value)).toEqual(Option.some("postgres://u:p@db:5432/config"))
      expect(String(Option.getOrThrow(settings.databaseUrl))).not.toContain("u:p")
      expect(Duration.toMillis(settings.databaseConnectTimeout)).toBe(500)
      expect(Duration.toMillis(settings.databaseStatementTimeout)).toBe(30_000)
    }))

  it.effect("a blank DATABASE_URL means none", () =>
    Effect.gen(function*() {
      const settings = yield* load({ DATABASE_URL: "  " })
      expect(Option.isNone(settings.databaseUrl)).toBe(true)
    }))

  it.effect("Settings.Live reads the current ConfigProvider (fromMap)", () =>
    Effect.gen(function*() {
      const settings = yield* Effect.provide(Settings, Settings.Live).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PORT", "9090"], ["LOG_FORMAT", "json"]])))
      )
      expect(settings.port).toBe(9090)
      expect(settings.logFormat).toBe("json")
    }))

  it.effect("LOG_LEVEL accepts warning, warn, WARNING and debug; rejects loud", () =>
    Effect.gen(function*() {
      for (const raw of ["warning", "warn", "WARNING", " Warn "]) {
        expect((yield* load({ LOG_LEVEL: raw })).logLevel, raw).toBe(LogLevel.Warning)
      }
      expect((yield* load({ LOG_LEVEL: "debug" })).logLevel).toBe(LogLevel.Debug)
      expect((yield* load({ LOG_LEVEL: "none" })).logLevel).toBe(LogLevel.None)
      const message = yield* failure({ LOG_LEVEL: "loud" })
      expect(message).toContain("loud")
    }))

  it.effect("bad PORT, DATABASE_POOL_SIZE, LOG_FORMAT and MIGRATE_ON_START fail naming the setting", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<[string, string]> = [
        ["PORT", "abc"],
        ["PORT", "70000"],
        ["DATABASE_POOL_SIZE", "0"],
        ["DATABASE_POOL_SIZE", "x"],
        ["LOG_FORMAT", "xml"],
        ["MIGRATE_ON_START", "maybe"]
      ]
      for (const [name, raw] of cases) {
        const message = yield* failure({ [name]: raw })
        expect(message, `${name}=${raw}`).toContain(name)
      }
    }))

  // The spec: "A bad value stops the service at start with a message naming the setting."
  it.effect("a bad LOG_LEVEL fails naming LOG_LEVEL", () =>
    Effect.gen(function*() {
      const message = yield* failure({ LOG_LEVEL: "loud" })
      expect(message).toContain("at LOG_LEVEL:")
      expect(message).toContain("got loud")
    }))

  it.effect("a bad BODY_LIMIT fails naming BODY_LIMIT (once, not as a nested path)", () =>
    Effect.gen(function*() {
      const message = yield* failure({ BODY_LIMIT: "lots" })
      expect(message).toContain("at BODY_LIMIT:")
      expect(message).toContain("got lots")
    }))
})

describe("Settings: durations and DATABASE_URL", () => {
  const durations = [
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_REQUEST_TIMEOUT",
    "SHUTDOWN_GRACE_PERIOD"
  ] as const

  it.effect("every duration setting takes Effect's durations, spaces around them allowed", () =>
    Effect.gen(function*() {
      const settings = yield* load(Object.fromEntries(durations.map((name) => [name, " 1.5 minutes "])))
      for (const value of [
        settings.databaseConnectTimeout,
        settings.databaseStatementTimeout,
        settings.databaseRequestTimeout,
        settings.shutdownGracePeriod
      ]) expect(Duration.toMillis(value)).toBe(90_000)
      expect(Duration.toMillis((yield* load({ SHUTDOWN_GRACE_PERIOD: "500 millis" })).shutdownGracePeriod)).toBe(500)
    }))

  it.effect("a bad duration says which form is expected and what it got, naming the setting", () =>
    Effect.gen(function*() {
      for (const name of durations) {
        for (const raw of ["2", "2s", "two seconds", ""]) {
          const message = yield* failure({ [name]: raw })
          expect(message, `${name}=${raw}`).toContain(`at ${name}:`)
          expect(message, `${name}=${raw}`).toContain(
            `expected a duration such as "2 seconds" or "500 millis", got ${JSON.stringify(raw)}`
          )
        }
      }
    }))

  it.effect("DATABASE_URL must be a postgres:// or postgresql:// URL with a host", () =>
    Effect.gen(function*() {
      for (
        const url of [
          "postgres://u:p@db:5432/config",
          "postgresql://db/config",
          "postgres://[::1]:5432/config",
          "postgres:///config?host=/var/run/postgresql"
        ]
      ) {
        const settings = yield* load({ DATABASE_URL: url })
        expect(Option.map(settings.databaseUrl, Redacted.value), url).toEqual(Option.some(url))
      }
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["not-a-url", "the value is not a URL"],
        ["localhost:5432/config", "it must start with postgres:// or postgresql://"],
        ["http://user:s3cret@db/config", "it must start with postgres:// or postgresql://"],
        ["postgres:///config", "it names no host"],
        ["postgres://user:s3cret@/config", "the value is not a URL"],
        ["postgres://user:s3cret@db:99999/config", "the value is not a URL"]
      ]
      for (const [raw, why] of cases) {
        const message = yield* failure({ DATABASE_URL: raw })
        expect(message, raw).toContain("at DATABASE_URL:")
        expect(message, raw).toContain(`expected a URL such as postgres://user:password@localhost:5432/config; ${why}`)
        expect(message, raw).not.toContain("s3cret")
      }
    }))

  it("databaseUrlProblem never repeats the value it was given", () => {
    for (const raw of ["s3cret", "s3cret://x", "postgres://s3cret@", "postgres:s3cret", "postgres://a:s3cret@/"]) {
      const problem = databaseUrlProblem(raw)
      expect(problem, raw).toBeDefined()
      expect(problem, raw).not.toContain("s3cret")
    }
  })
})

describe("parseBytes", () => {
  it("parses plain numbers and binary and decimal units", () => {
    expect(parseBytes("1MiB")).toEqual(Option.some(1048576))
    expect(parseBytes("512KiB")).toEqual(Option.some(524288))
    expect(parseBytes("2mb")).toEqual(Option.some(2_000_000))
    expect(parseBytes("1048576")).toEqual(Option.some(1048576))
    expect(parseBytes("10kb")).toEqual(Option.some(10_000))
    expect(parseBytes("100b")).toEqual(Option.some(100))
    expect(parseBytes(" 1.5 MiB ")).toEqual(Option.some(1572864))
  })

  it("rejects anything else", () => {
    for (const raw of ["", "abc", "1GiB", "-1", "0", "1 MiB extra", "MiB", "0.1b"]) {
      expect(parseBytes(raw), JSON.stringify(raw)).toEqual(Option.none())
    }
  })
})

describe("Settings: API_KEYS and CORS_ORIGINS", () => {
  it.effect("API_KEYS unset, empty or only separators means no authentication", () =>
    Effect.gen(function*() {
      expect((yield* load({})).apiKeys).toEqual([])
      expect((yield* load({ API_KEYS: "" })).apiKeys).toEqual([])
      expect((yield* load({ API_KEYS: " , ,, " })).apiKeys).toEqual([])
    }))

  it.effect("API_KEYS reads key:role pairs; keys stay redacted", () =>
    Effect.gen(function*() {
      const settings = yield* load({ API_KEYS: "secret1:read, secret2:write ," })
      expect(settings.apiKeys.map((key) => [Redacted.value(key.token), key.role])).toEqual([
        ["secret1", "read"],
        ["secret2", "write"]
      ])
      for (const key of settings.apiKeys) {
        expect(String(key.token)).not.toContain("secret")
        expect(JSON.stringify(key)).not.toContain("secret")
      }
    }))

  it.effect("a bad API_KEYS entry fails naming API_KEYS and the entry, without echoing any key", () =>
    Effect.gen(function*() {
      const raws = ["x:admin", ":read", "a b:read", "nokey", "k:", "good-secret:read,x:admin"]
      const messages: Array<[string, string]> = []
      for (const raw of raws) messages.push([raw, yield* failure({ API_KEYS: raw })])
      // all at once, so a failure shows every message
      expect(messages.filter(([, message]) => !message.includes("API_KEYS"))).toEqual([])
      for (const [raw, message] of messages) expect(message, raw).not.toContain("good-secret")
      expect(yield* failure({ API_KEYS: "good-secret:read,a b:write" })).toContain("entry 2")
    }))

  it.effect("API_KEYS entries may name their key (name=secret:role); a name is what writes are recorded under", () =>
    Effect.gen(function*() {
      const settings = yield* load({ API_KEYS: "ci=abc=:write, reader=r:read, plain:read" })
      expect(settings.apiKeys.map((key) => [key.name, Redacted.value(key.token), key.role])).toEqual([
        ["ci", "abc=", "write"],
        ["reader", "r", "read"],
        [defaultKeyName("plain"), "plain", "read"]
      ])
      for (const raw of ["=s3kr1t:read", "bad name=s3kr1t:read", "ok=:read", "n=s3 kr1t:read"]) {
        const message = yield* failure({ API_KEYS: raw })
        expect(message, raw).toContain("API_KEYS")
        expect(message, raw).not.toContain("kr1t")
      }
    }))

  it.effect("CORS_ORIGINS is a comma-separated list; unset or empty means CORS off", () =>
    Effect.gen(function*() {
      expect((yield* load({})).corsOrigins).toEqual([])
      expect((yield* load({ CORS_ORIGINS: " " })).corsOrigins).toEqual([])
      expect((yield* load({ CORS_ORIGINS: "https://a.example.com, https://b.example.com," })).corsOrigins).toEqual([
        "https://a.example.com",
        "https://b.example.com"
      ])
    }))
})
