import * as PlatformConfigProvider from "@effect/platform/PlatformConfigProvider"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { fileURLToPath } from "node:url"
import { defaultDatabaseDeadline } from "./Postgres/Deadline.js"
import { type ApiKey, defaultKeyName } from "./Domain/ApiKeys.js"
import { defaultKeepVersions } from "./History/Retention.js"

/** The service's root folder (`svc/`), whether running from `src/` or `dist/`. */
export const serviceRoot = fileURLToPath(new URL("..", import.meta.url))

const levels: Record<string, LogLevel.LogLevel> = {
  all: LogLevel.All,
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warn: LogLevel.Warning,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
  none: LogLevel.None
}

const logLevel = Config.string("LOG_LEVEL").pipe(
  Config.mapOrFail((raw) => {
    const level = levels[raw.trim().toLowerCase()]
    return level
      ? Either.right(level)
      : Either.left(ConfigError.InvalidData([], `expected one of ${Object.keys(levels).join(", ")}, got ${raw}`))
  }),
  Config.withDefault(LogLevel.Info)
)

const units: Record<string, number> = { "": 1, b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: 1024 ** 2 }

/** Parses `1048576`, `512KiB`, `1MiB`, `1mb`, … into a number of bytes. */
export const parseBytes = (raw: string): Option.Option<number> => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw)
  const factor = match ? units[match[2]!.toLowerCase()] : undefined
  if (!match || factor === undefined) return Option.none()
  const bytes = Math.floor(Number(match[1]) * factor)
  return bytes >= 1 ? Option.some(bytes) : Option.none()
}

const bytes = (name: string, fallback: number) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) =>
      Option.match(parseBytes(raw), {
        onNone: () => Either.left(ConfigError.InvalidData([], `expected a size such as 1048576, 512KiB or 1MiB, got ${raw}`)),
        onSome: Either.right
      })
    ),
    Config.withDefault(fallback)
  )

/** `2 seconds`, `500 millis`, `1.5 minutes`, … (Effect's duration format). */
const duration = (name: string, fallback: Duration.Duration) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) =>
      Option.match(Duration.decodeUnknown(raw.trim()), {
        onNone: () => {
          const expected = `expected a duration such as "2 seconds" or "500 millis", got ${JSON.stringify(raw)}`
          return Either.left(ConfigError.InvalidData([], expected))
        },
        onSome: Either.right
      })
    ),
    Config.withDefault(fallback)
  )

const databaseUrlExample = "postgres://user:password@localhost:5432/config"

/**
 * Why `raw` is not a PostgreSQL URL with a host (in its authority or a `host` parameter), if it
 * is not. Never quotes the value: it may hold a password.
 */
export const databaseUrlProblem = (raw: string): string | undefined => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `expected a URL such as ${databaseUrlExample}; the value is not a URL`
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return `expected a URL such as ${databaseUrlExample}; it must start with postgres:// or postgresql://`
  }
  if (url.hostname === "" && !url.searchParams.has("host")) {
    return `expected a URL such as ${databaseUrlExample}; it names no host`
  }
  return undefined
}

/** Unset or blank → none; otherwise a PostgreSQL URL, kept redacted. */
const postgresUrl = (name: string) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) => {
      if (raw.trim() === "") return Either.right(Option.none())
      const problem = databaseUrlProblem(raw.trim())
      return problem === undefined
        ? Either.right(Option.some(Redacted.make(raw)))
        : Either.left(ConfigError.InvalidData([], problem))
    }),
    Config.withDefault(Option.none<Redacted.Redacted>())
  )

const positiveInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: "expected an integer of at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(fallback)
  )

const keyName = /^[A-Za-z0-9._-]{1,64}$/

/**
 * `API_KEYS="ci=secret1:write,secret2:read"`: entries `[name=]secret:role`, role `read` or
 * `write`; a key without a name is recorded as `key-` and a digest of its secret (a secret
 * that contains `=` needs a name). Unset or empty → no authentication.
 */
const apiKeys = Config.string("API_KEYS").pipe(
  Config.mapOrFail((raw) => {
    const entries = raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "")
    const keys: Array<ApiKey> = []
    for (const [index, entry] of entries.entries()) {
      const separator = entry.lastIndexOf(":")
      const role = entry.slice(separator + 1)
      const named = /^([^=]*)=(.*)$/s.exec(entry.slice(0, Math.max(separator, 0)))
      const token = named ? named[2]! : entry.slice(0, separator)
      if (
        separator <= 0 || (role !== "read" && role !== "write") || token === "" || /\s/.test(token) ||
        (named !== null && !keyName.test(named[1]!))
      ) {
        return Either.left(
          ConfigError.InvalidData(
            [],
            `entry ${index + 1} must be <secret>:<role> or <name>=<secret>:<role>, role read or write ` +
              "(secrets without spaces; names of letters, digits, . _ -)"
          )
        )
      }
      keys.push({ name: named ? named[1]! : defaultKeyName(token), token: Redacted.make(token), role })
    }
    return Either.right(keys as ReadonlyArray<ApiKey>)
  }),
  Config.withDefault([] as ReadonlyArray<ApiKey>)
)

const origins = Config.string("CORS_ORIGINS").pipe(
  Config.map((raw) => raw.split(",").map((origin) => origin.trim()).filter((origin) => origin !== "")),
  Config.withDefault([] as ReadonlyArray<string>)
)

export const SettingsConfig = Config.all({
  port: Config.port("PORT").pipe(Config.withDefault(8080)),
  host: Config.string("HOST").pipe(Config.withDefault("0.0.0.0")),
  databaseUrl: postgresUrl("DATABASE_URL"),
  databaseListenUrl: postgresUrl("DATABASE_LISTEN_URL"),
  databasePoolSize: positiveInt("DATABASE_POOL_SIZE", 10),
  databaseConnectTimeout: duration("DATABASE_CONNECT_TIMEOUT", Duration.seconds(2)),
  databaseStatementTimeout: duration("DATABASE_STATEMENT_TIMEOUT", Duration.seconds(10)),
  databaseRequestTimeout: duration("DATABASE_REQUEST_TIMEOUT", defaultDatabaseDeadline),
  logLevel,
  logFormat: Config.literal("pretty", "json")("LOG_FORMAT").pipe(Config.withDefault("pretty" as const)),
  bodyLimit: bytes("BODY_LIMIT", 1024 * 1024),
  migrateOnStart: Config.boolean("MIGRATE_ON_START").pipe(Config.withDefault(true)),
  shutdownGracePeriod: duration("SHUTDOWN_GRACE_PERIOD", Duration.seconds(10)),
  apiKeys,
  corsOrigins: origins,
  historyKeepVersions: Config.integer("HISTORY_KEEP_VERSIONS").pipe(
    Config.validate({ message: "expected 0 (keep every version) or a positive integer", validation: (n) => n >= 0 }),
    Config.withDefault(defaultKeepVersions)
  ),
  watchMaxStreams: positiveInt("WATCH_MAX_STREAMS", 1000),
  embeddedPgDir: Config.string("EMBEDDED_PG_DIR").pipe(Config.withDefault(`${serviceRoot}.data/postgres`))
})

export type SettingsShape = Config.Config.Success<typeof SettingsConfig>

export class Settings extends Context.Tag("Settings")<Settings, SettingsShape>() {
  /** Settings from the current ConfigProvider; a bad value fails with a message naming it. */
  static readonly Live = Layer.effect(Settings, SettingsConfig)
}

/** The environment first, then `svc/.env` (if present) underneath it. */
export const ConfigLive = PlatformConfigProvider.layerDotEnvAdd(`${serviceRoot}.env`).pipe(
  Layer.provide(NodeContext.layer)
)
