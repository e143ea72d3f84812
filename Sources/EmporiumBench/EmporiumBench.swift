import ArgumentParser

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
