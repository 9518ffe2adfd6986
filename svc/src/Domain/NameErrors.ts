import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/** No application has the name a read by name asked for. */
export class ApplicationNameNotFound extends Schema.TaggedError<ApplicationNameNotFound>()(
  "ApplicationNameNotFound",
  { name: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {
  static of(name: string) {
    return new ApplicationNameNotFound({ name, message: `no application named ${JSON.stringify(name)}` })
  }
}

/** The application has no configuration of the name a read by name asked for. */
export class ConfigurationNameNotFound extends Schema.TaggedError<ConfigurationNameNotFound>()(
  "ConfigurationNameNotFound",
  { application: Schema.String, name: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {
  static of(application: string, name: string) {
    return new ConfigurationNameNotFound({
      application,
      name,
      message: `application ${JSON.stringify(application)} has no configuration named ${JSON.stringify(name)}`
    })
  }
}
