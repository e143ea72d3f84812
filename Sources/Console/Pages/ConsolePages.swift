import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WebSupport

/// The console's page and its data: the diagram page, the graph at a moment (`GET
/// /console/graph`) and the live graph as server-sent events (`GET /console/live`), all for
/// admins only.
struct ConsolePages: Sendable {
    let access: ConsoleAccess
    let history: TrafficHistory
    let renderer: PageRenderer

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
    }

    /// `GET /console`.
    @Sendable func page(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            try renderer.page("console", Values(adminName: session.name))
        }
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
        let encoder = JSONEncoder()
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                let end = ContinuousClock.now + Self.streamLifetime
                var sentAt = 0.0
                while ContinuousClock.now < end {
                    if let graph = history.graph(windowSeconds: window), graph.at != sentAt {
                        let json = try encoder.encode(graph)
                        try await writer.write(ByteBuffer(string: "event: graph\ndata: " + String(decoding: json, as: UTF8.self) + "\n\n"))
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
                .invalidParameter, detail: "window must be one of \(PlatformGraph.windows.map(String.init).joined(separator: ", ")) seconds, got \(text).",
                field: "window")
        }
        return seconds
    }
}
