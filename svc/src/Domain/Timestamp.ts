import * as Schema from "effect/Schema"

/** When something happened: UTC, ISO-8601 with milliseconds, as the API writes it. */
export const Timestamp = Schema.DateTimeUtc.annotations({
  identifier: "Timestamp",
  description: "UTC, ISO-8601 with milliseconds",
  examples: [Schema.decodeSync(Schema.DateTimeUtc)("2026-01-02T03:04:05.678Z")],
  jsonSchema: {
    type: "string",
    format: "date-time",
    description: "UTC, ISO-8601 with milliseconds",
    examples: ["2026-01-02T03:04:05.678Z"]
  }
})
