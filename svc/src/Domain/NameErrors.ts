import { ApiError } from "./ApiError.js"
import * as Schema from "effect/Schema"

/** No application has the name a read by name asked for. */
export class ApplicationNameNotFound extends ApiError<ApplicationNameNotFound>()("ApplicationNameNotFound", 404, {
  name: Schema.String
}) {
  static of(name: string) {
    return new ApplicationNameNotFound({ name, message: `no application named ${JSON.stringify(name)}` })
  }
}

/** The application has no configuration of the name a read by name asked for. */
export class ConfigurationNameNotFound extends ApiError<ConfigurationNameNotFound>()("ConfigurationNameNotFound", 404, {
  application: Schema.String,
  name: Schema.String
}) {
  static of(application: string, name: string) {
    return new ConfigurationNameNotFound({
      application,
      name,
      message: `application ${JSON.stringify(application)} has no configuration named ${JSON.stringify(name)}`
    })
  }
}
