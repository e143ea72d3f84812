import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import WebSupport

/// The dead letters of every service, for admins: `GET /console/dead-letters` lists them (those
/// waiting, by default), `GET /console/dead-letters/{service}/{id}` shows one with its event, and
/// its forms replay or discard it, each through the service's admin API as the signed-in admin.
struct DeadLetterPages: Sendable {
    let access: ConsoleAccess
    let api: AdminAPI
    let renderer: PageRenderer
    let publicURL: @Sendable () -> String?

    /// The most dead letters one service shows in the list.
    static let perService = 100

    /// The list's template values.
    struct ListValues: Sendable {
        var title = "Dead letters"
        var adminName: String
        var signedIn = true
        var statuses: [TracePages.StatusOption]
        var letters: [Letter]
        var hasLetters: Bool
        var notices: [String]
        var done: String?
    }

    /// One dead letter as the pages show it.
    struct Letter: Sendable {
        var id: String
        var shortID: String
        var service: String
        var consumer: String
        var eventType: String
        var subject: String
        var attempts: Int
        var lastFailedAt: String
        var lastError: String
        var status: String
        /// Whether it can still be replayed (it is dead) or discarded (dead or waiting).
        var replayable: Bool
        var discardable: Bool
        var event: String?
    }

    /// The single letter's template values.
    struct LetterValues: Sendable {
        var title: String
        var adminName: String
        var signedIn = true
        var letter: Letter
    }

    /// `GET /console/dead-letters?status=dead|replay_requested|replayed|discarded|all`.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            let status = request.uri.queryParameters.get("status").map { String($0) } ?? DeadLetter.Status.dead.rawValue
            guard status == "all" || DeadLetter.Status(rawValue: status) != nil else {
                throw Problem(
                    .invalidParameter, detail: "status must be all or one of dead, replay_requested, replayed, discarded, got \(status).",
                    field: "status")
            }
            var session = session
            var renewed = false
            var letters: [Letter] = []
            var notices: [String] = []
            for service in Component.services {
                let query = (status == "all" ? "" : "status=\(status)&") + "perPage=\(Self.perService)"
                let answer = try await api.call(.GET, DeadLetterRepresentation.path(of: service) + "?" + query, as: session)
                if let new = answer.renewed {
                    session = new
                    renewed = true
                }
                guard answer.status == 200, let page = try? answer.decode(Contracts.Page<DeadLetterRepresentation>.self) else {
                    notices.append("The \(service.rawValue) service's dead letters could not be read: \(answer.problemDetail).")
                    continue
                }
                letters += page.items.map(Self.letter)
                if page.total > page.items.count {
                    notices.append("The \(service.rawValue) service has \(page.total); the newest \(page.items.count) are shown.")
                }
            }
            letters.sort { $0.lastFailedAt > $1.lastFailedAt }
            let options = [
                ("dead", "Waiting"), ("replay_requested", "Replay requested"), ("replayed", "Replayed"), ("discarded", "Discarded"), ("all", "All"),
            ]
            var response = try renderer.page(
                "dead-letters",
                ListValues(
                    adminName: session.name,
                    statuses: options.map { TracePages.StatusOption(value: $0.0, label: $0.1, selected: $0.0 == status) },
                    letters: letters, hasLetters: !letters.isEmpty, notices: notices,
                    done: request.uri.queryParameters.get("done").map {
                        String($0) == "replay" ? "Replay requested: the service handles it within a second." : "Discarded."
                    }))
            if renewed { response.setCookie(try access.sessions.cookie(session, lifetime: ConsoleSession.lifetime)) }
            return response
        }
    }

    /// `GET /console/dead-letters/{service}/{id}`.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            let (service, id) = try Self.target(context)
            let answer = try await api.call(.GET, DeadLetterRepresentation.path(of: service) + "/\(id)", as: session)
            guard answer.status == 200, let letter = try? answer.decode(DeadLetterRepresentation.self) else {
                return try renderer.page(
                    "message",
                    MessagePage(title: "No such dead letter", heading: "The dead letter cannot be shown", text: answer.problemDetail, signedIn: true),
                    status: answer.status == 404 ? .notFound : .badGateway)
            }
            var response = try renderer.page(
                "dead-letter",
                LetterValues(title: "Dead letter \(letter.id.uuidString.prefix(8))", adminName: session.name, letter: Self.letter(letter)))
            if let renewed = answer.renewed { response.setCookie(try access.sessions.cookie(renewed, lifetime: ConsoleSession.lifetime)) }
            return response
        }
    }

    /// `POST /console/dead-letters/{service}/{id}/replay`.
    @Sendable func replay(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await act("replay", request, context)
    }

    /// `POST /console/dead-letters/{service}/{id}/discard`.
    @Sendable func discard(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await act("discard", request, context)
    }

    private func act(_ action: String, _ request: Request, _ context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            try access.requireSameSite(request, publicURL: publicURL())
            let (service, id) = try Self.target(context)
            let answer = try await api.call(.POST, DeadLetterRepresentation.path(of: service) + "/\(id)/\(action)", as: session)
            guard answer.status == 200 || answer.status == 202 else {
                return try renderer.page(
                    "message",
                    MessagePage(
                        title: "Not done", heading: "The dead letter was not \(action == "replay" ? "replayed" : "discarded")",
                        text: answer.problemDetail, signedIn: true),
                    status: HTTPResponse.Status(code: answer.status))
            }
            context.logger.notice(
                "Dead letter \(action) from the console",
                metadata: ["dead-letter": "\(id)", "service": "\(service.rawValue)", "admin": "\(session.subject)"])
            var response = ConsoleAccess.seeOther("/console/dead-letters?done=\(action)")
            if let renewed = answer.renewed { response.setCookie(try access.sessions.cookie(renewed, lifetime: ConsoleSession.lifetime)) }
            return response
        }
    }

    /// The service and the dead letter's id the path names.
    static func target(_ context: EmporiumRequestContext) throws -> (Component, UUID) {
        let name = context.parameters.get("service") ?? ""
        guard let service = Component(rawValue: name), Component.services.contains(service) else {
            throw Problem(.notFound, detail: "\(name) is not a service; dead letters are the services' own.")
        }
        return (service, try context.parameters.requireUUID("id", naming: "dead letter"))
    }

    static func letter(_ letter: DeadLetterRepresentation) -> Letter {
        let formatter = ISO8601DateFormatter()
        return Letter(
            id: letter.id.uuidString.lowercased(), shortID: String(letter.id.uuidString.prefix(8)).lowercased(), service: letter.service,
            consumer: letter.consumer, eventType: letter.eventType, subject: letter.subject ?? "", attempts: letter.attempts,
            lastFailedAt: formatter.string(from: letter.lastFailedAt), lastError: String(letter.lastError.prefix(300)), status: letter.status,
            replayable: letter.status == DeadLetter.Status.dead.rawValue,
            discardable: letter.status == DeadLetter.Status.dead.rawValue || letter.status == DeadLetter.Status.replayRequested.rawValue,
            event: letter.event)
    }
}
