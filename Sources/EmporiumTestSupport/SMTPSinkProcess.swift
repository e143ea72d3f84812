import Foundation

/// aiosmtpd, a real SMTP server, run for one test: started on a free loopback port, stopped when
/// the test ends. A missing python3 or aiosmtpd is a failure (`scripts/test` installs them).
public struct SMTPSinkProcess: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// With `tls`, the PEM file of its self-signed certificate, for the client to trust.
    public let certificateFile: String?
    let directory: URL

    /// A message the server accepted, as Python's email parser reads it.
    public struct Received: Decodable, Sendable {
        public var mailFrom: String
        public var rcptTos: [String]
        public var raw: String
        public var subject: String
        public var messageId: String
        public var from: String
        public var to: String
        public var text: String?
        public var html: String?
    }

    /// Runs the server while `body` runs.
    /// - Parameters:
    ///   - auth: `user:password` to require AUTH.
    ///   - loginOnly: Whether to offer `AUTH LOGIN` only (not `PLAIN`).
    ///   - tls: Whether to require STARTTLS (with a self-signed certificate).
    public static func run(auth: String? = nil, loginOnly: Bool = false, tls: Bool = false, _ body: (SMTPSinkProcess) async throws -> Void)
        async throws
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SMTPSink/smtp_sink.py")
        struct Started: Decodable {
            var port: Int
            var certificate: String?
        }
        try await HelperScript.run(
            python: script.path,
            arguments: ["--dir", directory.path] + (auth.map { ["--auth", $0] } ?? []) + (tls ? ["--tls"] : []) + (loginOnly ? ["--login-only"] : []),
            announcing: Started.self,
            installHint: "pip install aiosmtpd"
        ) { started in
            try await body(SMTPSinkProcess(port: started.port, certificateFile: started.certificate, directory: directory))
        }
    }

    /// Every message accepted so far, in order.
    public func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONDecoder().decode(Received.self, from: Data(contentsOf: directory.appendingPathComponent($0))) }
    }
}
