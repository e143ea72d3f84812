import ArgumentParser
import EmbeddedBroker
import EmporiumCore
import Foundation
import Logging

/// Publishes to the embedded broker, takes some deliveries without acknowledging them, says so,
/// and waits for SIGKILL: the broker's state at that moment is what a crash leaves behind.
struct EmbeddedBrokerChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedded-broker-child",
        abstract: "Publish, hold deliveries unacknowledged, print HOLDING and wait to be killed."
    )

    @Option(help: "The data directory holding broker.sqlite.") var dataDir: String
    @Option(help: "Messages to publish.") var messages = 20
    @Option(help: "Deliveries to take without acknowledging them.") var hold = 5
    @Option(help: "The acknowledgement deadline of those deliveries, in ms.") var ackWaitMs = 30_000

    func run() async throws {
        var logger = Logger(label: "drill")
        logger.logLevel = .warning
        let path = URL(fileURLWithPath: dataDir).appendingPathComponent("broker.sqlite").path
        let broker = try await EmbeddedBroker.open(location: .sqliteFile(path: path), ackWait: .milliseconds(ackWaitMs), logger: logger)
        try await broker.publish((1...messages).map { BrokerMessage(id: "drill-\($0)", subject: "emporium.drill.happened.v1", payload: []) })
        let group = try await broker.consumerGroup("drill.sink", subjects: ["emporium.drill.happened.v1"])
        let held = try await group.fetch(max: hold, wait: .seconds(1))
        FileHandle.standardOutput.write(Data("HOLDING \(held.map(\.message.id).joined(separator: ","))\n".utf8))
        try await Task.sleep(for: .seconds(3600))
    }
}
