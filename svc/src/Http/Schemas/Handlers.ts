import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { preconditionOf } from "../../Domain/ETag.js"
import { RequestActor } from "../Edge/Authentication.js"
import { renderedResponse, toServerResponse } from "../Edge/Answers.js"
import { validationAnswer } from "./ValidationAnswer.js"
import { SchemasRepo } from "../../Schemas/Repo.js"
import { schemaUrl } from "../Urls.js"

export const SchemasHttpLive = HttpApiBuilder.group(Api, "schemas", (handlers) =>
  Effect.gen(function*() {
    const schemas = yield* SchemasRepo
    return handlers
      .handle("put", ({ path, payload, request, urlParams }) =>
        Effect.gen(function*() {
          const actor = yield* RequestActor
          const text = yield* Effect.orDie(request.text)
          const { created, schema } = yield* schemas.put(path.id, payload, {
            byteLength: Buffer.byteLength(text),
            force: urlParams.force ?? false,
            precondition: preconditionOf(request.headers["if-match"]),
            actor: actor.name
          })
          return created ? renderedResponse(schema, { status: 201, location: schemaUrl(path.id) }) : renderedResponse(schema)
        }))
      .handle("get", ({ path, request }) =>
        Effect.map(schemas.get(path.id), (schema) =>
          renderedResponse(schema, { ifNoneMatch: request.headers["if-none-match"] })))
      .handle("delete", ({ path, request }) => schemas.remove(path.id, preconditionOf(request.headers["if-match"])))
      .handle("validate", ({ path, payload }) =>
        Effect.map(schemas.check(path.id, payload.config), (result) =>
          toServerResponse(validationAnswer(result))))
  }))
