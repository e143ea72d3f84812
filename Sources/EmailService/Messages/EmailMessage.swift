public import Foundation

/// A mailbox: an address and, optionally, the name shown with it.
public struct EmailAddress: Sendable, Equatable, Codable {
    /// The address (`ada@example.com`).
    public var address: String
    /// The display name (`Ada Lovelace`).
    public var name: String?

    /// Creates a mailbox.
    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// The RFC 5322 form: `"Ada Lovelace" <ada@example.com>`, the name encoded when it is not ASCII.
    var header: String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        return "\(MIMEEncoding.headerWord(name, quoting: true)) <\(address)>"
    }
}

/// An email with a plain-text and an HTML part, as every notification is sent.
public struct EmailMessage: Sendable, Equatable {
    /// The sender.
    public var from: EmailAddress
    /// The recipients.
    public var to: [EmailAddress]
    /// The subject line (any Unicode; encoded on the wire).
    public var subject: String
    /// The plain-text part.
    public var text: String
    /// The HTML part.
    public var html: String
    /// The `Message-ID`, without angle brackets (`<event id>@emporium`): the same event always
    /// makes the same id, so a receiver can discard a duplicate.
    public var messageID: String
    /// The `Date` header.
    public var date: Date

    /// Creates a message.
    public init(from: EmailAddress, to: [EmailAddress], subject: String, text: String, html: String, messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
    }

    /// The message in RFC 5322 / MIME form: CRLF line endings, headers in ASCII (RFC 2047 words for
    /// the rest), a `multipart/alternative` body with both parts in quoted-printable UTF-8.
    public func rfc5322() -> String {
        // Derived from the message id, so that the same message renders to the same bytes.
        let boundary = "emporium-" + String(messageID.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.prefix(32))
        var lines = [
            "From: \(from.header)",
            "To: \(to.map(\.header).joined(separator: ",\r\n "))",
            "Subject: \(MIMEEncoding.headerWord(subject, quoting: false))",
            "Date: \(Self.dateFormatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
            "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += [
                "--\(boundary)",
                "Content-Type: \(type); charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                MIMEEncoding.quotedPrintable(body),
            ]
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5322 dates, in English whatever the machine's locale.
    private static var dateFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }
}
