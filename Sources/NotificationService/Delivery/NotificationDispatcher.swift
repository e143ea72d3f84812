import Contracts
import EmailService
import EmporiumCore
import Foundation
import Logging
import SQLKit
import Tracing

/// Sends pending notifications through the email transport.
///
/// Each is claimed (`pending` → `sending`) by one conditional update, so instances sharing a
/// database never send one twice. A temporary failure is tried again later with backoff; a
/// permanent one (an SMTP 5xx), or one that outlasts the attempts, marks it `failed` and stores its
/// event as a dead letter of the consumer `notification.email`: `emporium dlq replay` sends it again.
struct NotificationDispatcher: Sendable {
    let database: ServiceDatabase
    let transport: any EmailTransport
    let sender: EmailAddress
    let retry: RetryPolicy
    /// Each delivery, as a call to the email service (`peer` `email`), for the platform's graph.
    let calls: OutboundCallMetrics
    let logger: Logger

    /// The dead letters' consumer name.
    static let deliveryConsumer = "notification.email"
    static let batchSize = 16
    /// The statuses a delivery is counted with: SMTP's own reply codes for accepted and refused
    /// for good; a delivery that got no answer, or a transient one, counts as `error`.
    static let smtpAccepted = 250
    static let smtpRefused = 554
    /// A notification left `sending` this long belonged to an instance that died mid-send (one
    /// delivery, its SMTP retries included, ends well within it).
    static let abandonedAfter: Double = 150

    /// Sends one batch of due notifications; returns whether more may be due.
    func pass() async throws -> Bool {
        let store = try NotificationStore(sql: database.database(logger: logger).sql)
        let claimed = try await store.claimDue(now: Date().timeIntervalSince1970, limit: Self.batchSize)
        for row in claimed {
            await send(row, store: store)
        }
        return claimed.count == Self.batchSize
    }

    /// Puts back what needs sending again: notifications abandoned mid-send by an instance that
    /// died, and those whose dead letters an operator asked to replay. Returns whether it put
    /// any back. Run every few seconds rather than on every pass: it rarely finds anything.
    func recover() async throws -> Bool {
        let store = try NotificationStore(sql: database.database(logger: logger).sql)
        let abandoned = try await store.releaseAbandoned(before: Date().timeIntervalSince1970 - Self.abandonedAfter)
        let replayed = try await replayRequested(store)
        return abandoned > 0 || replayed > 0
    }

    /// Sends one notification, as a client span to the email service in the trace of the event
    /// that asked for it (its envelope, kept in the row, carries the trace).
    private func send(_ row: NotificationRow, store: NotificationStore) async {
        let traceparent = (try? CloudEventHeader(json: Array(row.event_payload.utf8)))?.traceparent
        await database.tracer.withSpan("send \(row.kind) email", continuing: traceparent, ofKind: .client) { span in
            if span.isRecording {
                span.updateAttributes { attributes in
                    attributes["peer.service"] = Component.email.rawValue
                    attributes["emporium.notification.id"] = row.id.uuidString
                    attributes["emporium.user.id"] = row.user_id
                    attributes["messaging.message.id"] = row.event_id
                }
            }
            await sendInSpan(row, store: store, span: span)
        }
    }

    private func sendInSpan(_ row: NotificationRow, store: NotificationStore, span: ComponentSpan) async {
        let start = ContinuousClock.now
        do {
            let destination = try await transport.deliver(row.email(from: sender), logger: logger)
            calls.record(peer: Component.email.rawValue, status: Self.smtpAccepted, duration: ContinuousClock.now - start)
            try await store.markSent(row.id)
            logger.info("Notification sent", metadata: ["kind": "\(row.kind)", "event-id": "\(row.event_id)", "to": "\(destination)"])
        } catch {
            let failure = (error as? EmailDeliveryFailure) ?? EmailDeliveryFailure(isPermanent: false, reason: "\(error)")
            calls.record(
                peer: Component.email.rawValue, status: failure.isPermanent ? Self.smtpRefused : nil, duration: ContinuousClock.now - start)
            span.recordError(failure)
            span.setStatus(SpanStatus(code: .error))
            do {
                if failure.isPermanent || row.attempts >= retry.maxAttempts {
                    try await store.markFailed(row.id, error: failure.reason)
                    let event = BrokerMessage(id: row.event_id, subject: row.event_type, payload: Array(row.event_payload.utf8))
                    try await DeadLetterStore(database: database.database(logger: logger))
                        .store(consumer: Self.deliveryConsumer, message: event, error: failure.description, attempts: row.attempts)
                    logger.error("Notification failed; its event is a dead letter", metadata: ["event-id": "\(row.event_id)", "error": "\(failure)"])
                } else {
                    let next = Date().timeIntervalSince1970 + retry.delay(afterAttempt: row.attempts).seconds
                    try await store.retryLater(row.id, error: failure.reason, at: next)
                    logger.warning(
                        "Notification delivery failed; trying again later", metadata: ["event-id": "\(row.event_id)", "error": "\(failure)"])
                }
            } catch {
                // Left `sending`, it is picked up again once abandoned.
                logger.error("Could not record a delivery failure", metadata: ["event-id": "\(row.event_id)", "error": "\(error)"])
            }
        }
    }

    /// Dead letters an operator asked to replay: their notifications are sent again. Returns how many.
    private func replayRequested(_ notifications: NotificationStore) async throws -> Int {
        let store = DeadLetterStore(database: database.database(logger: logger))
        let letters = try await store.list(status: .replayRequested, consumer: Self.deliveryConsumer)
        for letter in letters {
            try await notifications.resendFailed(eventID: letter.eventID)
            try await store.finishReplay(letter.id, error: nil)
            logger.notice("Dead letter replayed: its notification is sent again", metadata: ["event-id": "\(letter.eventID)"])
        }
        return letters.count
    }
}
