import EmporiumClient
import EmporiumCore
import Foundation
import Hummingbird
import WebSupport

/// `GET /account/notifications`: the e-mails the shop sent the customer (or is sending), newest
/// first, with their status, a page at a time.
struct NotificationsPage: Sendable {
    let tokens: AccessTokens
    let frame: PageFrame

    static let perPage = 20

    struct Values: Sendable {
        var chrome: PageChrome
        var emails: [Email]
        var hasEmails: Bool
        var page: Int
        var pageCount: Int
        var previousPage: Int?
        var nextPage: Int?
    }

    /// One e-mail, as the list shows it.
    struct Email: Sendable {
        var subject: String
        var recipient: String
        var status: String
        var statusLabel: String
        var at: String
        var datetime: String

        init(_ notification: CustomerAPI.Notification) {
            subject = notification.subject
            recipient = notification.recipient
            status = notification.status.rawValue
            statusLabel = Self.label(of: notification.status)
            let when = notification.sentAt ?? notification.createdAt
            at = OrderView.format(when)
            datetime = ISO8601DateFormatter().string(from: when)
        }

        static func label(of status: Components.Schemas.Notification.StatusPayload) -> String {
            switch status {
            case .pending: "Waiting to be sent"
            case .sending: "Being sent"
            case .sent: "Sent"
            case .failed: "Could not be delivered"
            }
        }
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let customer = try await tokens.api(for: visit, returnTo: "/account/notifications")
            let page = PageNumbers.requested(request.formQuery["page"])
            let found = try await customer.notifications(page: page, perPage: Self.perPage)
            let pageCount = PageNumbers.count(total: found.value1.total, perPage: Self.perPage)
            let values = Values(
                chrome: try await frame.chrome(title: "Emails we sent you", visit: visit), emails: found.value2.items.map(Email.init),
                hasEmails: found.value1.total > 0, page: page, pageCount: pageCount, previousPage: page > 1 ? page - 1 : nil,
                nextPage: page < pageCount ? page + 1 : nil)
            return try frame.renderer.page("notifications", values)
        }
    }
}
