public import ArgumentParser
import EmporiumCore
import Logging

/// The log level option every command has.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical. (env: EMPORIUM_LOG_LEVEL)")
    var logLevel: Logger.Level?

    /// Sends logs to standard error at the chosen level, each line written inside a span with its
    /// trace and span ids; stdout is kept for what a person reads.
    func bootstrap(default defaultLevel: Logger.Level, environment: String?) -> Logger {
        let level = logLevel ?? environment.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        LoggingSystem.bootstrap(
            { label, metadataProvider in
                var handler = DeferredRenderingLogHandler(label: label, level: level)
                handler.metadataProvider = metadataProvider
                return handler
            },
            metadataProvider: .traceCorrelation
        )
        return Logger(label: "emporium")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
