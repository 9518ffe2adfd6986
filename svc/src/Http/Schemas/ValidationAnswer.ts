import type { ValidationResult } from "../../JsonSchema/Errors.js"
import { jsonAnswer } from "../Edge/Answers.js"

/** What `POST /validate` answers, from the API's handler and the validation shortcut alike: 200 with the result. */
export const validationAnswer = (result: ValidationResult) => jsonAnswer(200, JSON.stringify(result))
