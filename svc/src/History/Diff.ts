import jsonPatch from "fast-json-patch"
import type { ConfigObject } from "../Domain/Configuration.js"
import type { PatchOperation } from "../Domain/JsonPatch.js"

/**
 * The RFC 6902 patch that turns config `from` into config `to`: `add`, `remove` and `replace`
 * operations, in the order they apply. Its cost is linear in the size of the two configs
 * (arrays are compared index by index, not by edit distance), whatever they hold.
 */
export const configDiff = (from: ConfigObject, to: ConfigObject): ReadonlyArray<PatchOperation> =>
  jsonPatch.compare(from, to) as ReadonlyArray<PatchOperation>
