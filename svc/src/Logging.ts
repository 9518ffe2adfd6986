import { Effect, Layer, Logger } from "effect"
import { Settings } from "./Settings.js"

/** Pretty lines for people or one JSON object per line for machines, at `LOG_LEVEL`. */
export const LoggerLive = Layer.unwrapEffect(
  Effect.map(Settings, (settings) =>
    Layer.merge(
      Logger.replace(Logger.defaultLogger, settings.logFormat === "json" ? Logger.jsonLogger : Logger.prettyLoggerDefault),
      Logger.minimumLogLevel(settings.logLevel)
    ))
)
