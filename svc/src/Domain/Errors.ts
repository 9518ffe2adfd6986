import { ApiError } from "./ApiError.js"
import * as Schema from "effect/Schema"
import { ApplicationId, ConfigurationId } from "./Ids.js"

export class ApplicationNotFound extends ApiError<ApplicationNotFound>()("ApplicationNotFound", 404, {
  id: ApplicationId
}) {
  static of(id: ApplicationId) {
    return new ApplicationNotFound({ id, message: `no application with id ${id}` })
  }
}

export class ConfigurationNotFound extends ApiError<ConfigurationNotFound>()("ConfigurationNotFound", 404, {
  id: ConfigurationId
}) {
  static of(id: ConfigurationId) {
    return new ConfigurationNotFound({ id, message: `no configuration with id ${id}` })
  }
}

/** The fields of an error about one version of a configuration. */
const aVersion = { id: ConfigurationId, version: Schema.Int }

export class VersionNotFound extends ApiError<VersionNotFound>()("VersionNotFound", 404, aVersion) {
  static of(id: ConfigurationId, version: number) {
    return new VersionNotFound({ id, version, message: `configuration ${id} has no version ${version}` })
  }
}

export class VersionPruned extends ApiError<VersionPruned>()("VersionPruned", 410, aVersion) {
  static of(id: ConfigurationId, version: number) {
    return new VersionPruned({
      id,
      version,
      message: `version ${version} of configuration ${id} is no longer kept (HISTORY_KEEP_VERSIONS)`
    })
  }
}

/** Changes after the revision asked for were removed by retention; those from `earliest_revision` on are all kept. */
export class ChangesPruned extends ApiError<ChangesPruned>()("ChangesPruned", 410, {
  id: ApplicationId,
  earliest_revision: Schema.Int
}) {
  static of(id: ApplicationId, earliest_revision: number) {
    return new ChangesPruned({
      id,
      earliest_revision,
      message: `changes of application ${id} before revision ${earliest_revision} are no longer all kept; ` +
        `ask for changes after ${earliest_revision - 1} or later`
    })
  }
}

export class ApplicationNameTaken extends ApiError<ApplicationNameTaken>()("ApplicationNameTaken", 409, {
  name: Schema.String
}) {
  static of(name: string) {
    return new ApplicationNameTaken({ name, message: `an application named ${JSON.stringify(name)} already exists` })
  }
}

export class ConfigurationNameTaken extends ApiError<ConfigurationNameTaken>()("ConfigurationNameTaken", 409, {
  name: Schema.String
}) {
  static of(name: string) {
    return new ConfigurationNameTaken({
      name,
      message: `the application already has a configuration named ${JSON.stringify(name)}`
    })
  }
}

export class ApplicationHasConfigurations extends ApiError<ApplicationHasConfigurations>()("ApplicationHasConfigurations", 409, {
  id: ApplicationId
}) {
  static of(id: ApplicationId) {
    return new ApplicationHasConfigurations({
      id,
      message: `application ${id} still has configurations; delete them first or pass ?cascade=true`
    })
  }
}

export class UnknownApplication extends ApiError<UnknownApplication>()("UnknownApplication", 400, {
  application_id: ApplicationId
}) {
  static of(application_id: ApplicationId) {
    return new UnknownApplication({ application_id, message: `application_id ${application_id} does not exist` })
  }
}

export class ApplicationIdImmutable extends ApiError<ApplicationIdImmutable>()("ApplicationIdImmutable", 400, {
  id: ConfigurationId
}) {
  static of(id: ConfigurationId) {
    return new ApplicationIdImmutable({
      id,
      message: `configuration ${id} belongs to another application; application_id cannot change`
    })
  }
}

export class UnstorableText extends ApiError<UnstorableText>()("UnstorableText", 400) {
  static readonly instance = new UnstorableText({
    message: "text contains characters PostgreSQL cannot store (NUL \\u0000 or invalid Unicode)"
  })
}

export class DatabaseUnavailable extends ApiError<DatabaseUnavailable>()("DatabaseUnavailable", 503) {
  static readonly instance = new DatabaseUnavailable({ message: "the database is unavailable; retry shortly" })
}

/** PostgreSQL answers, but more requests wait for it than the pool will serve soon: shed now rather than time out later. */
export class ServiceBusy extends ApiError<ServiceBusy>()("ServiceBusy", 503) {
  static readonly instance = new ServiceBusy({
    message: "the service is busy: too many requests are waiting for the database; retry shortly"
  })
}

export class PreconditionFailed extends ApiError<PreconditionFailed>()("PreconditionFailed", 412) {
  static readonly instance = new PreconditionFailed({
    message: "If-Match does not match the current version; read it again and retry"
  })
}

export class TooManyWatchers extends ApiError<TooManyWatchers>()("TooManyWatchers", 503) {
  static of(limit: number) {
    return new TooManyWatchers({
      message: `this instance already holds its ${limit} open watches (WATCH_MAX_STREAMS); retry shortly`
    })
  }
}
