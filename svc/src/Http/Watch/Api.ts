import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"
import { Application } from "../../Domain/Application.js"
import { Configuration } from "../../Domain/Configuration.js"
import { onApplication } from "../Applications/Api.js"
import { TooManyWatchers } from "../../Domain/Errors.js"
import { ApplicationNameNotFound, ConfigurationNameNotFound } from "../../Domain/NameErrors.js"
import { Name } from "../../Domain/Text.js"
import { WatchHeaders, WatchParams } from "../Params.js"
import { heartbeatMs, maxBufferedBytes } from "../../Watch/Tuning.js"
import { waitableRead, described, storedGroup } from "../Endpoints.js"

type Operation = Record<string, any>

const header = (description: string, example: string) => ({ description, schema: { type: "string" }, example })

/** The headers a watch stream answers with, beside its `text/event-stream` body. */
const eventStream = (op: Operation): Operation => ({
  ...op,
  responses: {
    ...op.responses,
    "200": {
      ...op.responses["200"],
      headers: {
        "Cache-Control": header("Never cached", "no-cache"),
        "X-Accel-Buffering": header("Tells nginx-style proxies not to buffer the stream", "no"),
        "X-Instance-Id": header("Which instance serves the stream (a random name per process)", "3f9a1c0b7e24")
      }
    }
  }
})

export const ByNamePath = Schema.Struct({ name: Name })
export const ConfigurationByNamePath = Schema.Struct({ name: Name, configuration_name: Name })

const example = [
  "id: 7",
  "event: change",
  `data: {"revision":7,"configuration_id":"01HZX3Q8V6K2M9P4R7T1W5Y8ZC","name":"production","version":2,` +
  `"op":"update","actor":"ci","created_at":"2024-05-01T12:00:00.000Z",` +
  `"configuration":{"id":"01HZX3Q8V6K2M9P4R7T1W5Y8ZC",` +
  `"application_id":"01HZX3Q8V6K2M9P4R7T1W5Y8ZB","name":"production","comments":null,"config":{"retries":3},` +
  `"created_at":"2024-04-01T09:00:00.000Z","updated_at":"2024-05-01T12:00:00.000Z","version":2}}`,
  "",
  ""
].join("\n")

export const EventStream = HttpApiSchema.Text({ contentType: "text/event-stream" }).annotations({
  description: "Server-Sent Events: `snapshot`, `change`, `reset`, `deleted`, and `: keep-alive` comments",
  examples: [example]
})

export class WatchApi extends HttpApiGroup.make("watch")
  .add(
    HttpApiEndpoint.get("application", "/applications/by-name/:name")
      .setPath(ByNamePath)
      .pipe(waitableRead)
      .addSuccess(Application)
      .addError(ApplicationNameNotFound)
      .pipe(described("Read an application by name",
        "As `GET /applications/{id}` (`ETag`, 304, `wait`), for the application with this name (percent-encoded)."))
  )
  .add(
    HttpApiEndpoint.get("configuration", "/applications/by-name/:name/configurations/:configuration_name")
      .setPath(ConfigurationByNamePath)
      .pipe(waitableRead)
      .addSuccess(Configuration)
      .addError(ApplicationNameNotFound)
      .addError(ConfigurationNameNotFound)
      .pipe(described("Read a configuration by its application's name and its own",
        "As `GET /configurations/{id}` (`ETag`, 304, `wait`): an application can fetch its configuration knowing " +
          "only names (percent-encoded; a `/` in a name is `%2F`)."))
  )
  .add(
    HttpApiEndpoint.get("watch", "/applications/:id/watch")
      .pipe(onApplication)
      .setUrlParams(WatchParams)
      .setHeaders(WatchHeaders)
      .addSuccess(EventStream)
      .addError(TooManyWatchers)
      .pipe(described("Watch an application's changes",
        "A stream of Server-Sent Events. Without `Last-Event-ID` or `after`, first `event: snapshot` (`id:` the " +
          "current revision; `data:` `{ revision, application, configurations }`); with either, every change after " +
          "that revision, in order. Then each change as it commits: `id: <revision>`, `event: change`, `data:` the " +
          "change as `/changes` lists it plus `configuration` (after a create, update or restore). A revision no " +
          "longer kept (or unknown) → `event: reset`, then a snapshot. `event: deleted` when the application is " +
          "deleted, then the stream ends. " +
          `A \`: keep-alive\` comment at least every ${heartbeatMs / 1000} s. A client that reconnects with ` +
          "its last `id` misses nothing and sees nothing twice. " +
          `A client that stops reading is cut off once ${maxBufferedBytes / 1024 / 1024} MiB ` +
          "wait for it; on shutdown streams end at once: reconnect with `Last-Event-ID`.", eventStream))
  )
  .pipe(storedGroup("Watch", "Reads by name, blocking reads and change streams."))
{}
