import EmbeddedBroker
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Logging
import Testing

/// The embedded broker killed with SIGKILL, as a crashed process is, and opened again.
@Suite(.timeLimit(.minutes(2))) struct BrokerCrashTests {
    /// `emporium-drill`, built beside this test binary by `swift build --build-tests`.
    static func drillBinary() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let binary = candidate.appendingPathComponent("emporium-drill")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw Missing(description: "emporium-drill is not beside \(directory.path); build with 'swift build --build-tests'")
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    @Test func aKilledBrokerDeliversEverythingAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let child = Process()
        child.executableURL = try Self.drillBinary()
        child.arguments = ["embedded-broker-child", "--data-dir", directory.path, "--messages", "20", "--hold", "5", "--ack-wait-ms", "300"]
        let output = Pipe()
        child.standardOutput = output
        try ProcessLaunch.run(child)
        let line = await Task.detached {
            // Blocking read of the child's one line, off the cooperative pool.
            String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }.value
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        let held = Set(
            line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "HOLDING ", with: "").split(separator: ",").map(String.init)
        )
        #expect(held.count == 5, "the child held 5 deliveries: \(line)")

        let broker = try await EmbeddedBroker.open(
            location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path),
            ackWait: .milliseconds(100),
            logger: Logger(label: "test")
        )
        let group = try await broker.consumerGroup("drill.sink", subjects: ["emporium.drill.happened.v1"])
        var attempts: [String: Int] = [:]
        for _ in 0..<50 where attempts.count < 20 {
            let batch = try await group.fetch(max: 20, wait: .milliseconds(200))
            for delivery in batch { attempts[delivery.message.id] = delivery.attempt }
            try await group.ack(batch)
        }
        await broker.close()
        #expect(attempts.count == 20)
        #expect(Set(attempts.filter { $0.value == 2 }.keys) == held, "held deliveries come back as second attempts")
        #expect(attempts.filter { $0.value == 1 }.count == 15)
    }
}
