import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SimulatorSupport
import WebSupport

/// The console's page and its data: the diagram page, the graph at a moment (`GET
/// /console/graph`) and the live graph as server-sent events (`GET /console/live`), all for
/// admins only.
struct ConsolePages: Sendable {
    let access: ConsoleAccess
    let history: TrafficHistory
    let renderer: PageRenderer
    let faults: FaultControl
    let publicURL: @Sendable () -> String?

    /// How often the live stream sends the graph: the diagram is never more than this behind the
    /// watcher's last look.
    static let liveInterval = Duration.seconds(1)
    /// How long one live stream lasts before the browser reconnects (it does so by itself).
    static let streamLifetime = Duration.seconds(600)

    /// The template's values.
    struct Values: Sendable {
        var title = "Console"
        var adminName: String
        var signedIn = true
        var simulators: [SimulatorFaults]
        /// Whether any simulator's faults are offered (templates see stored properties only).
        var hasSimulators: Bool
    }

    /// One simulator's faults form.
    struct SimulatorFaults: Sendable {
        var id: String
        var label: String
        var errorRate: String
        var latencyMs: String
        var spikeRate: String
        var spikeMs: String
        /// What the last change said, if it was this simulator's.
        var notice: String?
        var noticeIsError = false
    }

    /// `GET /console`.
    @Sendable func page(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            let changed: String? = request.uri.queryParameters.get("faults").map { String($0) }
            return try await render(for: session, notice: changed.map { ($0, "The new faults are in effect.", false) })
        }
    }

    /// `POST /console/faults/{simulator}`: the simulator's faults from the form, on every instance.
    @Sendable func changeFaults(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            try access.requireSameSite(request, publicURL: publicURL())
            guard let id = context.parameters.get("simulator"), let simulator = Component(rawValue: id), faults.controllable.contains(simulator)
            else {
                throw Problem(.notFound, detail: "The console changes no faults of \(context.parameters.get("simulator") ?? "that").")
            }
            var request = request
            let body = try await request.collectBody(upTo: min(64 * 1024, context.maxRequestBodyBytes))
            let form = FormEncoding.decode(String(buffer: body))
            do {
                let settings = FaultSettings(
                    latencyMs: try Self.number(form, "latencyMs", as: Int.self), errorRate: try Self.number(form, "errorRate", as: Double.self),
                    spikeRate: try Self.number(form, "spikeRate", as: Double.self), spikeMs: try Self.number(form, "spikeMs", as: Int.self))
                _ = try settings.validated()
                try await faults.apply(settings, to: simulator)
                context.logger.notice("Faults changed from the console", metadata: ["simulator": "\(id)", "admin": "\(session.subject)"])
                return ConsoleAccess.seeOther("/console?faults=\(id)#faults")
            } catch let problem as Problem {
                return try await render(for: session, notice: (id, problem.detail ?? problem.kind.title, true), status: problem.status)
            }
        }
    }

    private func render(for session: ConsoleSession, notice: (String, String, Bool)?, status: HTTPResponse.Status = .ok) async throws -> Response {
        var simulators: [SimulatorFaults] = []
        for simulator in faults.controllable {
            let now = await faults.current(of: simulator)
            simulators.append(
                SimulatorFaults(
                    id: simulator.rawValue, label: DiagramLayout.places.first { $0.id == simulator.rawValue }?.label ?? simulator.rawValue,
                    errorRate: now.map { String($0.errorRate) } ?? "", latencyMs: now.map { String($0.latencyMs) } ?? "",
                    spikeRate: now.map { String($0.spikeRate) } ?? "", spikeMs: now.map { String($0.spikeMs) } ?? "",
                    notice: notice?.0 == simulator.rawValue ? notice?.1 : (now == nil ? "It does not answer." : nil),
                    noticeIsError: notice?.0 == simulator.rawValue ? notice?.2 ?? false : now == nil))
        }
        return try renderer.page(
            "console", Values(adminName: session.name, simulators: simulators, hasSimulators: !simulators.isEmpty), status: status)
    }

    /// The form's field `name` as a number.
    static func number<Number: LosslessStringConvertible>(_ form: [String: [String]], _ name: String, as: Number.Type) throws -> Number {
        guard let text = form[name]?.first?.trimmingWhitespace, let value = Number(text) else {
            throw Problem(.invalidField, detail: "\(name) must be a number, got \"\(form[name]?.first ?? "")\".", field: name)
        }
        return value
    }

    /// `GET /console/graph?window=60&at=…`: the graph now, or at `at` (seconds since 1970) for replay.
    @Sendable func graph(_ request: Request, context: EmporiumRequestContext) async throws -> PlatformGraph {
        _ = try access.requireAdmin(request)
        let window = try Self.window(request)
        var at: Double?
        if let text = request.uri.queryParameters.get("at") {
            guard let moment = Double(text), moment.isFinite, moment > 0 else {
                throw Problem(.invalidParameter, detail: "at must be a time in seconds since 1970, got \(text).", field: "at")
            }
            at = moment
        }
        guard let graph = history.graph(at: at, windowSeconds: window) else {
            throw Problem(.serviceUnavailable, detail: "The console has not looked at the platform yet.", headers: [.retryAfter: "1"])
        }
        return graph
    }

    /// `GET /console/live?window=60`: a `graph` event with the graph every second.
    @Sendable func live(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        _ = try access.requireAdmin(request)
        let window = try Self.window(request)
        let history = history
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                let end = ContinuousClock.now + Self.streamLifetime
                var sentAt = 0.0
                while ContinuousClock.now < end {
                    if let graph = try history.liveGraphJSON(windowSeconds: window), graph.at != sentAt {
                        try await writer.write(ByteBuffer(string: "event: graph\ndata: " + graph.json + "\n\n"))
                        sentAt = graph.at
                    }
                    try await Task.sleep(for: Self.liveInterval / 4)
                }
                try await writer.finish(nil)
            }
        )
    }

    /// The `window` parameter: 60, 300 or 900 seconds (60 when absent).
    static func window(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("window") else { return PlatformGraph.windows[0] }
        guard let seconds = Int(text), PlatformGraph.windows.contains(seconds) else {
            throw Problem(
                .invalidParameter,
                detail: "window must be one of \(PlatformGraph.windows.map(String.init).joined(separator: ", ")) seconds, got \(text).",
                field: "window")
        }
        return seconds
    }
}
