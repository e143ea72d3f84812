import Foundation
public import Logging
import NIOPosix

/// The development transport, as Django's and Rails' file mail backends are: each message is
/// written as an `.eml` file (RFC 5322, openable by any mail client) in one directory.
public struct FileTransport: EmailTransport {
    /// The directory the files go to.
    public let directory: String

    /// Creates the transport; the directory is created when the first message is written.
    public init(directory: String) {
        self.directory = directory
    }

    public var destination: String { "files in \(directory)" }

    /// Writes `<message id>.eml`; the same message id overwrites its file, so a message
    /// sent twice leaves one file.
    public func deliver(_ message: EmailMessage, logger: Logger) async throws(EmailDeliveryFailure) -> String {
        let name = String(message.messageID.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).eml").path
        let directory = self.directory
        let bytes = Data(message.rfc5322().utf8)
        do {
            // File system calls block their thread: on NIO's pool, not the cooperative one.
            try await NIOThreadPool.singleton.runIfActive {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        } catch {
            throw EmailDeliveryFailure(isPermanent: false, reason: "could not write \(path): \(error)")
        }
        logger.info("Email written", metadata: ["path": "\(path)", "to": "\(message.to.map(\.address).joined(separator: ","))"])
        return path
    }
}
