import Contracts
import EmailService
import Foundation

/// A notification as stored: rendered when its event arrived, then `pending` → `sending` →
/// `sent`, or `failed` once delivery is given up.
struct NotificationRow: Codable, Sendable {
    var id: UUID
    var event_id: String
    var event_type: String
    var event_payload: String
    var channel: String
    var recipient: String
    var recipient_name: String
    var user_id: String
    var kind: String
    var subject: String
    var text_body: String
    var html_body: String
    var status: NotificationStatus
    var attempts: Int
    var last_error: String?
    var next_attempt_at: Double
    var created_at: Double
    var sent_at: Double?

    /// The email, whose `Message-ID` comes from the event, so that a resend is recognisably the same message.
    func email(from sender: EmailAddress) -> EmailMessage {
        EmailMessage(
            from: sender,
            to: [EmailAddress(recipient, name: recipient_name)],
            subject: subject,
            text: text_body,
            html: html_body,
            messageID: "\(event_id).\(kind)@emporium",
            date: Date(timeIntervalSince1970: created_at)
        )
    }

    /// The API's view.
    var representation: NotificationRepresentation {
        NotificationRepresentation(
            id: id,
            kind: kind,
            channel: channel,
            recipient: recipient,
            subject: subject,
            status: status.rawValue,
            eventId: event_id,
            createdAt: Date(timeIntervalSince1970: created_at),
            sentAt: sent_at.map { Date(timeIntervalSince1970: $0) }
        )
    }
}

/// The email channel, the only one so far.
let emailChannel = "email"
