import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { Settings } from "../Settings.js"

/**
 * Pretty lines for people or one JSON object per line for machines, at `LOG_LEVEL`. Takes the
 * place of Effect's default logger and of the pretty one `runMain` swaps in for it.
 */
export const LoggerLive = Layer.unwrapEffect(
  Effect.map(Settings, (settings) =>
    Layer.merge(
      Layer.fiberRefLocallyScopedWith(FiberRef.currentLoggers, (loggers) =>
        loggers.pipe(
          HashSet.remove(Logger.defaultLogger),
          HashSet.remove(Logger.prettyLoggerDefault),
          HashSet.add(settings.logFormat === "json" ? Logger.withConsoleLog(Logger.jsonLogger) : Logger.prettyLoggerDefault)
        )),
      Logger.minimumLogLevel(settings.logLevel)
    ))
)
