import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { ServiceBusy } from "../../Domain/Errors.js"
import type { ApplicationId } from "../../Domain/Ids.js"
import type { ValidationResult } from "../../JsonSchema/Errors.js"
import { conformance } from "../../Schemas/Current.js"
import { cacheKey, type CurrentSchema } from "../../Schemas/Resource.js"
import { jsonAnswer } from "../Edge/Answers.js"
import { answeredFromCache, type Asked } from "../FastPath/Annotation.js"

/** What `POST /validate` answers, from the API's handler and the fast path alike: 200 with the result. */
export const validationAnswer = (result: ValidationResult) => jsonAnswer(200, JSON.stringify(result))

const encodeBusy = Schema.encodeSync(ServiceBusy)

/** A check given up (`ServiceBusy`), as the API answers it: 503, and `Retry-After` from the edge. */
const busyAnswer = (busy: ServiceBusy) => jsonAnswer(503, JSON.stringify(encodeBusy(busy)))

/** `POST /validate` answered by the fast path while the application's current schema is cached: its `conformance`. */
export const cachedValidation = answeredFromCache({
  cacheKey: (path: { readonly id: ApplicationId }) => cacheKey(path.id),
  answer: (schema: CurrentSchema, { payload }: Asked<{ readonly config: unknown }>) =>
    Either.match(conformance(schema, payload.config), { onLeft: busyAnswer, onRight: validationAnswer })
})
