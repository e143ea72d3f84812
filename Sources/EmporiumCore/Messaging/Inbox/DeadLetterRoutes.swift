public import Contracts
import Foundation
public import Hummingbird
import Logging

/// A service's dead letters in its admin API, under ``DeadLetterRepresentation/path(of:)``
/// (`/api/v1/admin/dead-letters/order`), for admins only: list them (by status, a page at a
/// time), show one with its whole event, ask for it to be replayed, or discard it. What
/// `emporium dlq` does from a shell, over HTTP, so that the console can do it too.
public struct DeadLetterRoutes: Sendable {
    /// Whose dead letters.
    public let service: Component
    let database: ServiceDatabase

    /// The routes of `service`, over its `database`.
    public init(service: Component, database: ServiceDatabase) {
        self.service = service
        self.database = database
    }

    /// A dead letter asked to be replayed or discarded is in a state that does not allow it.
    static let notActionable = ProblemType(
        slug: "dead-letter-not-actionable", title: "The dead letter is not waiting for that", status: .conflict)

    /// Adds the routes to `router`.
    public func register(on router: Router<EmporiumRequestContext>) {
        let base = DeadLetterRepresentation.path(of: service)
        router.resource(RouterPath(stringLiteral: base)) { routes in
            routes.get(use: list)
        }
        router.resource(RouterPath(stringLiteral: base + "/{id}")) { routes in
            routes.get(use: show)
        }
        router.resource(RouterPath(stringLiteral: base + "/{id}/replay")) { routes in
            routes.post(use: replay)
        }
        router.resource(RouterPath(stringLiteral: base + "/{id}/discard")) { routes in
            routes.post(use: discard)
        }
    }

    /// `GET …?status=dead&page=…&perPage=…`: newest failure first, without their events.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<DeadLetterRepresentation> {
        _ = try context.requireRole(.admin)
        let query = request.uri.queryParameters
        let paging = try PageRequest(query: query)
        var status: DeadLetter.Status?
        if let text = query.get("status") {
            guard let chosen = DeadLetter.Status(rawValue: text) else {
                let names = DeadLetter.Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(.invalidParameter, detail: "status must be one of \(names), got \"\(text.prefix(40))\".", field: "status")
            }
            status = chosen
        }
        let store = DeadLetterStore(database: database.reader(logger: context.logger))
        let (letters, total) = try await store.page(status: status, offset: paging.offset, limit: paging.perPage)
        return Contracts.Page(
            items: letters.map { representation($0, withEvent: false) }, page: paging.page, perPage: paging.perPage, total: total)
    }

    /// `GET …/{id}`: one dead letter with its whole event.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> DeadLetterRepresentation {
        _ = try context.requireRole(.admin)
        return representation(try await find(context), withEvent: true)
    }

    /// `POST …/{id}/replay`: the service's consumer handles it again within a second (its inbox
    /// still guards against a second effect); 202 with the letter, now `replay_requested`.
    @Sendable func replay(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<DeadLetterRepresentation> {
        let admin = try context.requireRole(.admin)
        let id = try context.parameters.requireUUID("id", naming: "dead letter")
        let store = DeadLetterStore(database: database.database(logger: context.logger))
        let changed = try await store.requestReplay([id])
        let letter = try await find(context)
        guard changed == 1 else {
            throw Problem(Self.notActionable, detail: "The dead letter \(id) is \(letter.status.rawValue); only a dead one is replayed.")
        }
        context.logger.notice("Dead letter replay requested", metadata: ["dead-letter": "\(id)", "admin": "\(admin.subject)"])
        return EditedResponse(status: .accepted, response: representation(letter, withEvent: false))
    }

    /// `POST …/{id}/discard`: marked as needing no handling; the letter, now `discarded`.
    @Sendable func discard(_ request: Request, context: EmporiumRequestContext) async throws -> DeadLetterRepresentation {
        let admin = try context.requireRole(.admin)
        let id = try context.parameters.requireUUID("id", naming: "dead letter")
        let store = DeadLetterStore(database: database.database(logger: context.logger))
        let changed = try await store.discard([id])
        let letter = try await find(context)
        guard changed == 1 else {
            throw Problem(
                Self.notActionable, detail: "The dead letter \(id) is \(letter.status.rawValue); only a dead or replay-requested one is discarded.")
        }
        context.logger.notice("Dead letter discarded", metadata: ["dead-letter": "\(id)", "admin": "\(admin.subject)"])
        return representation(letter, withEvent: false)
    }

    private func find(_ context: EmporiumRequestContext) async throws -> DeadLetter {
        let id = try context.parameters.requireUUID("id", naming: "dead letter")
        guard let letter = try await DeadLetterStore(database: database.database(logger: context.logger)).find(id) else {
            throw Problem(.notFound, detail: "The \(service.rawValue) service has no dead letter \(id).")
        }
        return letter
    }

    private func representation(_ letter: DeadLetter, withEvent: Bool) -> DeadLetterRepresentation {
        DeadLetterRepresentation(
            id: letter.id, service: service.rawValue, consumer: letter.consumer, eventId: letter.eventID, eventType: letter.subject,
            subject: (try? CloudEventHeader(json: Array(letter.payload.utf8)))?.subject,
            status: letter.status.rawValue, attempts: letter.attempts, firstFailedAt: letter.firstFailedAt, lastFailedAt: letter.lastFailedAt,
            lastError: letter.lastError, event: withEvent ? letter.payload : nil)
    }
}
