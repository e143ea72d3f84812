import ArgumentParser
import EmporiumCore
import Logging

/// `emporium-bench`: the benchmarks behind `scripts/bench`. Build it in release mode; debug
/// figures say nothing about production.
@main
struct EmporiumBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emporium-bench",
        abstract: "Emporium's benchmarks (run them through scripts/bench).",
        subcommands: [EventsBenchmark.self, CheckoutBenchmark.self]
    )
}

extension Logger {
    /// The benchmarks' logger, handed to the platform they start: warnings and worse, through the
    /// handler that `emporium` bootstraps, so that logging costs what it costs in the binary.
    static var benchmark: Logger {
        Logger(label: "bench") { label in DeferredRenderingLogHandler(label: label, level: .warning) }
    }
}
