import EmailService
import Foundation
import Logging
import ServiceLifecycle
import SimulatorSupport
import Testing

@testable import EmailSimulator

/// The simulated email service as the Notification Service meets it: a real SMTP server that the
/// platform's own SMTP client submits to, each accepted message written as an `.eml` file named
/// after its Message-ID, and every message refused with a permanent 554 while its faults say so.
@Suite(.timeLimit(.minutes(1))) struct EmailSimulatorTests {
    static let message = """
        Message-ID: <order-received-42@emporium.localhost>
        From: Emporium <shop@emporium.localhost>
        To: <ada@example.com>
        Subject: Your order

        Thank you.
        .A line that starts with a period survives.
        """

    /// Runs an SMTP server over `directory` with `faults`, and `body` with its port.
    static func withServer(directory: String, faults: FaultSwitch, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        var server = SMTPServer(
            host: "127.0.0.1", port: 0, serverName: "email.test", faults: faults, mailbox: Mailbox(directory: directory),
            logger: Logger(label: "test"))
        server.onListening = { listening.yield($0) }
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func client(_ port: Int) -> SMTPClient {
        SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port, startTLS: false))
    }

    @Test func anAcceptedMessageIsWrittenAsItsOwnFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withServer(directory: directory, faults: FaultSwitch(.none)) { port in
            let reply = try await Self.client(port).send(
                from: "shop@emporium.localhost", to: ["ada@example.com"], data: Self.message, logger: Logger(label: "test"))
            #expect(reply.code == 250)
            // Sent twice, it is still one file.
            try await Self.client(port).send(
                from: "shop@emporium.localhost", to: ["ada@example.com"], data: Self.message, logger: Logger(label: "test"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["order-received-42_emporium_localhost.eml"])
        let written = try String(contentsOfFile: directory + "/order-received-42_emporium_localhost.eml", encoding: .utf8)
        #expect(written.contains("Subject: Your order\r\n"))
        #expect(written.contains("\r\n.A line that starts with a period survives.\r\n"), "the client's dot-stuffing is undone")
    }

    @Test func whileItsFaultsSaySoEveryMessageIsRefusedForGood() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let faults = FaultSwitch(InjectedFaults(latency: .zero, errorRate: 1))
        try await Self.withServer(directory: directory, faults: faults) { port in
            do {
                try await Self.client(port).send(
                    from: "shop@emporium.localhost", to: ["ada@example.com"], data: Self.message, logger: Logger(label: "test"))
                Issue.record("the message was accepted")
            } catch {
                #expect((error as? SMTPError)?.isPermanent == true, "a 554, which the Notification Service does not retry: \(error)")
            }
            faults.set(.none)
            let healed = try await Self.client(port).send(
                from: "shop@emporium.localhost", to: ["ada@example.com"], data: Self.message, logger: Logger(label: "test"))
            #expect(healed.code == 250)
        }
    }

    @Test func commandsOutOfOrderAreRefusedAndTheSessionGoesOn() {
        var session = SMTPSession(serverName: "email.test")
        #expect(session.receive("MAIL FROM:<a@b>") == .reply("503 5.5.1 Say EHLO first, and MAIL once per message"))
        #expect(session.receive("EHLO client").isReply(code: 250))
        #expect(session.receive("DATA") == .reply("503 5.5.1 RCPT TO comes first"))
        #expect(session.receive("MAIL FROM:ada@example.com") == .reply("501 5.5.4 MAIL FROM:<address> is expected"))
        #expect(session.receive("MAIL FROM:<shop@b> SIZE=100").isReply(code: 250))
        #expect(session.receive("RCPT TO:<ada@example.com>").isReply(code: 250))
        #expect(session.receive("DATA").isReply(code: 354))
        #expect(session.receive("..hidden") == .none)
        #expect(session.receive(".") == .deliver(SMTPSession.Message(sender: "shop@b", recipients: ["ada@example.com"], text: ".hidden\r\n")))
        #expect(session.receive("VRFY ada").isReply(code: 502))
        #expect(session.receive("QUIT") == .close("221 2.0.0 email.test closes the connection"))
    }
}

extension SMTPSession.Action {
    func isReply(code: Int) -> Bool {
        if case .reply(let text) = self { return text.hasPrefix(String(code)) }
        return false
    }
}
