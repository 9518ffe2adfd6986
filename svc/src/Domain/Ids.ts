import * as Schema from "effect/Schema"
import { monotonicFactory } from "ulid"
import { expecting } from "./Messages.js"

export const canonicalUlid = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/

/** ASCII letters only: Unicode upper-casing would turn look-alikes such as ß or ſ into valid characters. */
const anyCaseUlid = /^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$/

/** The id the API document's examples use. */
export const exampleId = "01HZX3Q8V6K2M9P4R7T1W5Y8ZB"

/** A ULID in canonical upper case; lower-case input is accepted and upper-cased. */
export const Ulid = Schema.String.pipe(
  Schema.filter((s) => anyCaseUlid.test(s), {
    jsonSchema: {
      pattern: anyCaseUlid.source,
      description: "a ULID: 26 Crockford base32 characters, any case (responses use upper case)",
      examples: [exampleId]
    }
  }),
  Schema.compose(Schema.Uppercase),
  Schema.pattern(canonicalUlid, {
    identifier: "Ulid",
    title: "ULID",
    description: "a ULID: 26 Crockford base32 characters (case-insensitive on input, upper case on output)",
    ...expecting("must be a ULID (26 characters, Crockford base32)")
  })
)

export const ApplicationId = Ulid.pipe(Schema.brand("ApplicationId"))
export type ApplicationId = typeof ApplicationId.Type

export const ConfigurationId = Ulid.pipe(Schema.brand("ConfigurationId"))
export type ConfigurationId = typeof ConfigurationId.Type

const nextUlid = monotonicFactory()

export const makeApplicationId = (): ApplicationId => ApplicationId.make(nextUlid())
export const makeConfigurationId = (): ConfigurationId => ConfigurationId.make(nextUlid())
