/**
 * What a schema may be and how much work checking a configuration against one may take. Schemas
 * are untrusted: each limit stops a way a schema and a value could stall or exhaust the service.
 */

/** A schema as sent: bytes and levels of JSON nesting (SPEC). */
export const maxSchemaBytes = 64 * 1024
export const maxSchemaDepth = 32

/** Subschemas (objects) in one schema: Ajv's compile time grows faster than their number (0.1–0.3 s at 1,000). */
export const maxSubschemas = 1_000

/** Errors reported for one configuration (SPEC). */
export const maxReportedErrors = 50

/**
 * Regular expressions run on re2-wasm: linear in the text, but its cost per character grows with the
 * compiled pattern (about 2.5 µs per character and unit of `PatternSize` here, when RE2 falls back
 * from its DFA), each costs about a millisecond to compile, and all share one fixed 16 MiB heap. So a
 * schema has few and modest patterns, and one test may not multiply a long text by a large pattern.
 */
export const maxPatterns = 64
export const maxPatternSize = 1_000
export const maxSchemaPatternSize = 10_000
export const maxPatternWork = 100_000

/** Compiled patterns kept alive across schemas, by `PatternSize` plus a fixed cost per pattern. */
export const maxLivePatternSize = 100_000
export const livePatternOverhead = 100

/**
 * Work for one check of a configuration, in units of about one simple keyword on one value (25–100 ns
 * here): a 1 MiB array of 6,000 records against an ordinary schema takes about 550,000; the limit
 * answers within about a third of a second.
 */
export const workBudget = 3_000_000

/**
 * Steps of regular expressions for one check: each test of a text costs the pattern's `PatternSize`
 * times the text's length, counted, never timed, so the answer depends on the schema and the value
 * alone. A 1 MiB configuration of 8,000 records, each with a URL tested against an ordinary URL
 * pattern, takes about 8 million and about 50 ms. How fast RE2 takes its steps is bounded apart,
 * by `patternMillisGuard`.
 */
export const maxPatternSteps = 12_000_000

/**
 * Time in RE2 after which the service gives up on a check, so that no schema and value hold the
 * event loop for long: counted steps bound what a check may need, but not how fast RE2 takes them
 * (0.5 ns a step for one pattern, 800 ns for another with the same count). Giving up is never an
 * answer about the configuration: the request is answered 503 `ServiceBusy` with `Retry-After`.
 * Ordinary patterns stay far below it: the 1 MiB configuration above takes about 50 ms, 300 ms
 * while four busy loops share the machine's two cores.
 */
export const patternMillisGuard = 2_000

/**
 * Errors the validator may create while collecting them all, including those of `anyOf` branches it
 * then drops: each is an object, so this bounds memory. Beyond it only the first failure is reported.
 */
export const maxCollectedErrors = 10_000

/** Compiled schemas kept, by count and by bytes of schema: their compiled code is 10–40 times larger. */
export const maxCachedSchemas = 256
export const maxCachedSchemaBytes = 1024 * 1024

/** A refused schema lists at most this many configurations that do not conform, each with its first errors. */
export const maxListedViolations = 50
export const maxViolationErrors = 5
