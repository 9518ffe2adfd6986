import type { ApplicationId } from "../../Domain/Ids.js"
import type { ValidationResult } from "../../JsonSchema/Errors.js"
import { conformance } from "../../Schemas/Current.js"
import { cacheKey, type CurrentSchema } from "../../Schemas/Resource.js"
import { jsonAnswer } from "../Edge/Answers.js"
import { answeredFromCache, type Asked } from "../FastPath/Annotation.js"

/** What `POST /validate` answers, from the API's handler and the fast path alike: 200 with the result. */
export const validationAnswer = (result: ValidationResult) => jsonAnswer(200, JSON.stringify(result))

/** `POST /validate` answered by the fast path while the application's current schema is cached: its `conformance`. */
export const cachedValidation = answeredFromCache({
  cacheKey: (path: { readonly id: ApplicationId }) => cacheKey(path.id),
  answer: (schema: CurrentSchema, { payload }: Asked<{ readonly config: unknown }>) =>
    validationAnswer(conformance(schema, payload.config))
})
