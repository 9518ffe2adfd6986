import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"

/**
 * The change feed's keys: what committed writes record in the `change_log` table, and what the
 * read cache and blocking reads name their entries and waits by. The SQL side is the triggers of
 * migrations 0003 (`*`, `c:<configuration id>`, `a:<application id>`), 0004
 * (`r:<application id>:<revision>`) and 0005 (`s:<application id>`), which migration 0006 points at
 * the log: what is written here must match them. `changesChannel` carries only the writers' ticks.
 */
export const changesChannel = "config_service_changes"

/** Anything may have changed (a `TRUNCATE`). */
export const allKey = "*"

/** Every application's key starts with it: a list of applications is dropped by a change to any of them. */
export const applicationPrefix = "a:"
const configurationPrefix = "c:"
const schemaPrefix = "s:"
const revisionPrefix = "r:"

/** The application, or the set of its configurations, changed. */
export const applicationKey = (id: ApplicationId) => `${applicationPrefix}${id}`

/** The configuration changed or went away. */
export const configurationKey = (id: ConfigurationId) => `${configurationPrefix}${id}`

/** The application's schema was written or went away. */
export const schemaKey = (id: ApplicationId) => `${schemaPrefix}${id}`

/** The application's log gained `revision`. */
export const revisionKey = (applicationId: ApplicationId, revision: number) =>
  `${revisionPrefix}${applicationId}:${revision}`

/** Never announced: what a wait for any revision of the application waits on (`revisionsKeyOf` each). */
export const revisionsKey = (applicationId: ApplicationId) => `${revisionPrefix}${applicationId}`

export type FeedChange =
  | { readonly kind: "all" }
  | { readonly kind: "application"; readonly id: string }
  | { readonly kind: "configuration"; readonly id: string }
  | { readonly kind: "schema"; readonly id: string }
  /** `revision` is not checked: NaN when the payload's is not a number. */
  | { readonly kind: "revision"; readonly applicationId: string; readonly revision: number }

export type ChangeKind = FeedChange["kind"]

/** The kind of change `payload` announces, from its prefix alone (no allocation); undefined for an unknown one. */
export const kindOf = (payload: string): ChangeKind | undefined => {
  if (payload === allKey) return "all"
  if (payload.startsWith(applicationPrefix)) return "application"
  if (payload.startsWith(configurationPrefix)) return "configuration"
  if (payload.startsWith(revisionPrefix)) return "revision"
  if (payload.startsWith(schemaPrefix)) return "schema"
  return undefined
}

/** The `revisionsKey` a revision's payload wakes: the payload up to its last `:`. */
export const revisionsKeyOf = (revisionPayload: string) => revisionPayload.slice(0, revisionPayload.lastIndexOf(":"))

const all: FeedChange = { kind: "all" }

/** The change `payload` announces; undefined for an unknown one, or a revision's without `:<revision>`. */
export const parseChange = (payload: string): FeedChange | undefined => {
  switch (kindOf(payload)) {
    case "all":
      return all
    case "application":
      return { kind: "application", id: payload.slice(applicationPrefix.length) }
    case "configuration":
      return { kind: "configuration", id: payload.slice(configurationPrefix.length) }
    case "schema":
      return { kind: "schema", id: payload.slice(schemaPrefix.length) }
    case "revision": {
      const separator = payload.lastIndexOf(":")
      if (separator < revisionPrefix.length) return undefined
      return {
        kind: "revision",
        applicationId: payload.slice(revisionPrefix.length, separator),
        revision: Number(payload.slice(separator + 1))
      }
    }
    case undefined:
      return undefined
  }
}
