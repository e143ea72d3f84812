import EmporiumCore
import EmporiumTestSupport
import Foundation
import Logging
import Testing

@testable import EmailService

/// The SMTP client and transport against aiosmtpd, an SMTP server no one here wrote: what it
/// receives, parsed by Python's own email library, must be exactly what was sent.
@Suite(.tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct SMTPClientTests {
    let logger = Logger(label: "test")

    static func message(to recipients: [String], text: String = "Hello", subject: String = "Hello") -> EmailMessage {
        EmailMessage(
            from: EmailAddress("shop@emporium.example", name: "Emporium"),
            to: recipients.map { EmailAddress($0) },
            subject: subject,
            text: text,
            html: "<p>\(text)</p>",
            messageID: "\(UUID().uuidString.lowercased())@emporium",
            date: Date()
        )
    }

    func transport(_ sink: SMTPSinkProcess, username: String? = nil, password: String? = nil, attempts: Int = 4) -> SMTPTransport {
        SMTPTransport(
            settings: SMTPSettings(host: "127.0.0.1", port: sink.port, username: username, password: password, timeout: .seconds(5)),
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        )
    }

    @Test func aMessageArrivesIntactAtEveryRecipient() async throws {
        try await SMTPSinkProcess.run { sink in
            let text = """
                Grüße, Ada — your order is on its way ✓
                .a line that starts with a dot
                ..and one with two
                .
                \(String(repeating: "A long line that quoted-printable must fold. ", count: 5))
                = signs = stay; trailing space 
                """
            let message = Self.message(to: ["ada@example.com", "charles@example.com"], text: text, subject: "Ihre Bestellung — Überraschung ✓")
            _ = try await transport(sink).deliver(message, logger: logger)
            let received = try #require(try sink.received().first)
            #expect(received.rcptTos == ["ada@example.com", "charles@example.com"])
            #expect(received.mailFrom == "shop@emporium.example")
            #expect(received.subject == message.subject)
            #expect(received.messageId == "<\(message.messageID)>")
            #expect(received.from == "Emporium <shop@emporium.example>")
            // Python's parser keeps the wire's CRLF inside a part; the content is what matters.
            #expect(received.text?.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines) == text)
            #expect(received.html?.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines) == "<p>\(text)</p>")
            // On the wire: CRLF only, and no line longer than RFC 5322's 78 characters.
            let lines = received.raw.components(separatedBy: "\r\n")
            #expect(!received.raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            #expect(lines.allSatisfy { $0.count <= 78 })
        }
    }

    @Test func linesStartingWithADotAreStuffedAndRestored() async throws {
        try await SMTPSinkProcess.run { sink in
            let data = "Subject: dots\r\n\r\n.one\r\n..two\r\n.\r\nlast line\r\n"
            let client = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: sink.port, timeout: .seconds(5)))
            let reply = try await client.send(from: "a@example.com", to: ["b@example.com"], data: data, logger: logger)
            #expect(reply.code == 250)
            #expect(try sink.received().first?.raw == data)
            #expect(SMTPClient.dotStuffed("a\n.b\n") == "a\r\n..b\r\n")
        }
    }

    @Test func aTemporaryRefusalIsRetriedUntilItPasses() async throws {
        try await SMTPSinkProcess.run { sink in
            _ = try await transport(sink).deliver(Self.message(to: ["tempfail-2@example.com"]), logger: logger)
            #expect(try sink.received().map(\.rcptTos) == [["tempfail-2@example.com"]])
        }
    }

    @Test func aPermanentRefusalFailsAtOnceAndSendsNothing() async throws {
        try await SMTPSinkProcess.run { sink in
            await #expect {
                _ = try await transport(sink).deliver(Self.message(to: ["reject@example.com"]), logger: logger)
            } throws: { error in
                (error as? EmailDeliveryFailure)?.isPermanent == true && "\(error)".contains("550")
            }
            // Temporary refusals that outlast the attempts are not permanent.
            await #expect {
                _ = try await transport(sink, attempts: 2).deliver(Self.message(to: ["tempfail-5@example.com"]), logger: logger)
            } throws: { error in
                (error as? EmailDeliveryFailure)?.isPermanent == false
            }
            let received = try sink.received()
            #expect(received.isEmpty)
        }
    }

    @Test func authenticatesWhenTheServerRequiresIt() async throws {
        try await SMTPSinkProcess.run(auth: "shop:s3cret") { sink in
            _ = try await transport(sink, username: "shop", password: "s3cret").deliver(Self.message(to: ["ada@example.com"]), logger: logger)
            #expect(try sink.received().count == 1)
            await #expect {
                _ = try await transport(sink, username: "shop", password: "wrong").deliver(Self.message(to: ["ada@example.com"]), logger: logger)
            } throws: { error in
                (error as? EmailDeliveryFailure)?.isPermanent == true
            }
            await #expect {
                _ = try await transport(sink).deliver(Self.message(to: ["ada@example.com"]), logger: logger)
            } throws: { error in
                (error as? EmailDeliveryFailure)?.isPermanent == true
            }
            let received = try sink.received()
            #expect(received.count == 1)
        }
    }

    @Test func authenticatesWithLoginWhenPlainIsNotOffered() async throws {
        try await SMTPSinkProcess.run(auth: "shop:s3cret", loginOnly: true) { sink in
            _ = try await transport(sink, username: "shop", password: "s3cret").deliver(Self.message(to: ["ada@example.com"]), logger: logger)
            let received = try sink.received()
            #expect(received.count == 1)
        }
    }

    @Test func startTLSEncryptsTheSessionBeforeAuthentication() async throws {
        try await SMTPSinkProcess.run(auth: "shop:s3cret", tls: true) { sink in
            let certificate = try #require(sink.certificateFile)
            let settings = SMTPSettings(
                host: "127.0.0.1", port: sink.port, username: "shop", password: "s3cret", timeout: .seconds(5),
                startTLS: true, trustedCertificatesFile: certificate
            )
            _ = try await SMTPTransport(settings: settings).deliver(Self.message(to: ["ada@example.com"], text: "Encrypted"), logger: logger)
            let received = try sink.received()
            #expect(received.map { $0.text?.trimmingCharacters(in: .newlines) } == ["Encrypted"])
            // Without STARTTLS the server refuses to go on; with an untrusted certificate the client does.
            await #expect(throws: EmailDeliveryFailure.self) {
                _ = try await SMTPTransport(
                    settings: SMTPSettings(host: "127.0.0.1", port: sink.port, timeout: .seconds(5)), retry: RetryPolicy(maxAttempts: 1)
                )
                .deliver(Self.message(to: ["ada@example.com"]), logger: logger)
            }
            await #expect(throws: EmailDeliveryFailure.self) {
                let untrusted = SMTPSettings(
                    host: "127.0.0.1", port: sink.port, username: "shop", password: "s3cret", timeout: .seconds(5), startTLS: true)
                _ = try await SMTPTransport(settings: untrusted, retry: RetryPolicy(maxAttempts: 1)).deliver(
                    Self.message(to: ["ada@example.com"]), logger: logger)
            }
            let after = try sink.received()
            #expect(after.count == 1)
        }
    }

    @Test func anUnreachableServerIsATemporaryFailure() async throws {
        let transport = SMTPTransport(settings: SMTPSettings(host: "127.0.0.1", port: 1, timeout: .seconds(2)), retry: RetryPolicy(maxAttempts: 1))
        await #expect {
            _ = try await transport.deliver(Self.message(to: ["ada@example.com"]), logger: logger)
        } throws: { error in
            (error as? EmailDeliveryFailure)?.isPermanent == false
        }
    }
}

/// The development transport writes what an SMTP server would have received.
@Suite(.timeLimit(.minutes(2))) struct FileTransportTests {
    @Test func eachMessageIsOneEmlFileWhateverTheRetries() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = FileTransport(directory: directory.path)
        let message = SMTPClientTests.message(to: ["ada@example.com"], text: "Welcome", subject: "Willkommen")
        let path = try await transport.deliver(message, logger: Logger(label: "test"))
        _ = try await transport.deliver(message, logger: Logger(label: "test"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [URL(fileURLWithPath: path).lastPathComponent])
        let eml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(eml == message.rfc5322())
        #expect(eml.contains("Subject: Willkommen\r\n"))
        #expect(eml.contains("Content-Type: multipart/alternative"))
    }
}
