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
        let boundary =
            "emporium-"
            + String(messageID.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.prefix(32))
        var lines = [
            "From: \(from.header)",
            "To: \(to.map(\.header).joined(separator: ",\r\n "))",
            "Subject: \(MIMEEncoding.headerWord(subject, quoting: false))",
            "Date: \(Self.rfc5322Date(date))",
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

    /// An RFC 5322 date in UTC (`Thu, 26 Nov 2026 03:22:54 +0000`): English names whatever the
    /// machine's locale, and no formatter to build per message.
    static func rfc5322Date(_ date: Date) -> String {
        let parts = utcCalendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func twoDigits(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let weekday = weekdays[(parts.weekday ?? 1) - 1]
        let month = months[(parts.month ?? 1) - 1]
        return
            "\(weekday), \(twoDigits(parts.day)) \(month) \(parts.year ?? 1970) \(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second)) +0000"
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
