export { freshDatabase, layerEmptyDatabase, layerTestDatabase, testServerUrl } from "./Testing/TestDatabase.js"
