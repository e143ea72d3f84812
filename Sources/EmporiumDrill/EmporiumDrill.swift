import ArgumentParser

/// `emporium-drill`: processes that fault drills and crash tests start, and then kill.
@main
struct EmporiumDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emporium-drill",
        abstract: "Helpers for Emporium's fault drills: each does its part and waits to be killed.",
        subcommands: [EmbeddedBrokerChild.self, ConsistencyCheck.self]
    )
}
