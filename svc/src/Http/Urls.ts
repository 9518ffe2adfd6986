import { apiPrefix } from "./Edge/Routes.js"

/** Every URL the service writes (`Location`, `Link`, the document's examples). */

const applications = `${apiPrefix}/applications`

export const applicationUrl = (id: string) => `${applications}/${id}`

/** A page of applications: at most `limit`, those after `after`. */
export const applicationsPageUrl = (limit: number, after: string) => `${applications}?limit=${limit}&after=${after}`

export const schemaUrl = (id: string) => `${applicationUrl(id)}/schema`

export const validationUrl = (id: string) => `${applicationUrl(id)}/validate`

export const configurationUrl = (id: string) => `${apiPrefix}/configurations/${id}`

/** A page of a configuration's versions: at most `limit`, those before `before`. */
export const versionsPageUrl = (id: string, limit: number, before: number) =>
  `${configurationUrl(id)}/versions?limit=${limit}&before=${before}`
