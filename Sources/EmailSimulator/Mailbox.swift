import Foundation
import NIOPosix

/// Where the simulated email service keeps what it receives: each message an `.eml` file
/// (openable by any mail client), named after its `Message-ID`, so that a message sent twice
/// leaves one file.
struct Mailbox: Sendable {
    /// The directory; created with the first message.
    let directory: String

    /// Writes `message`; returns its path.
    func store(_ message: SMTPSession.Message) async throws -> String {
        let id = Self.messageID(in: message.text) ?? UUID().uuidString
        let name = String(id.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).eml").path
        let directory = self.directory
        let bytes = Data(message.text.utf8)
        // File system calls block their thread: on NIO's pool, not the cooperative one.
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        return path
    }

    /// The `Message-ID` header's value, without its angle brackets, from the message's headers.
    static func messageID(in text: String) -> String? {
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }
            if line.lowercased().hasPrefix("message-id:") {
                let value = line.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces)
                let bare = value.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                return bare.isEmpty ? nil : bare
            }
        }
        return nil
    }
}
