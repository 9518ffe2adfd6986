import { Effect } from "effect"
import { ApplicationsRepo } from "../src/Applications/Repo.js"
import * as Applications from "../src/Applications/Resource.js"
import { ConfigurationsRepo } from "../src/Configurations/Repo.js"
import * as Configurations from "../src/Configurations/Resource.js"

/** The applications repository with what it renders decoded into `Application` values, as tests compare them. */
export const TypedApplications = Effect.map(ApplicationsRepo, (repo) => ({
  create: (...args: Parameters<typeof repo.create>) => Applications.typed.one(repo.create(...args)),
  get: (...args: Parameters<typeof repo.get>) => Applications.typed.one(repo.get(...args)),
  list: (...args: Parameters<typeof repo.list>) => Applications.typed.all(repo.list(...args)),
  update: (...args: Parameters<typeof repo.update>) => Applications.typed.one(repo.update(...args)),
  remove: repo.remove
}))

/** The configurations repository with what it renders decoded into `Configuration` values. */
export const TypedConfigurations = Effect.map(ConfigurationsRepo, (repo) => ({
  create: (...args: Parameters<typeof repo.create>) => Configurations.typed.one(repo.create(...args)),
  get: (...args: Parameters<typeof repo.get>) => Configurations.typed.one(repo.get(...args)),
  listByApplication: (...args: Parameters<typeof repo.listByApplication>) =>
    Configurations.typed.all(repo.listByApplication(...args)),
  update: (...args: Parameters<typeof repo.update>) => Configurations.typed.one(repo.update(...args)),
  remove: repo.remove
}))
