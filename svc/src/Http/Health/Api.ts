import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { ApiError } from "../../Domain/ApiError.js"
import * as Schema from "effect/Schema"
import { described, titled } from "../Endpoints.js"

export class Health extends Schema.Class<Health>("Health")({
  status: Schema.Literal("ok"),
  checks: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
}) {}

export class NotReady extends ApiError<NotReady>()("NotReady", 503, {
  checks: Schema.Record({ key: Schema.String,
  value: Schema.String })
}) {}

export class HealthApi extends HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("live", "/health/live")
      .addSuccess(Health)
      .pipe(described("Liveness", "The process is up and serving HTTP."))
  )
  .add(
    HttpApiEndpoint.get("ready", "/health/ready")
      .addSuccess(Health)
      .addError(NotReady)
      .pipe(described("Readiness",
        "The database is reachable and its schema is current. `checks.change_feed` is `ok` while reads may be " +
          "cached, else why they are not (still 200: reads then go to the database)."))
  )
  .pipe(titled("Health", "For load balancers and orchestrators; open even with API_KEYS."))
{}
