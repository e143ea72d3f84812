import Crypto
public import FluentKit
// JSONSerialization (canonical JSON for fingerprints) is in Foundation, not FoundationEssentials.
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import SQLKit

/// `Idempotency-Key` for a service's creating routes (`POST /orders`, `POST /payments`): the
/// same caller, key and body get the first answer again; the same key with another body is a 422;
/// a request arriving while the first with its key is still running waits for that answer.
///
/// Answers below 500 are kept, refusals included (the same request would be refused again); a 5xx
/// or a thrown error frees the key, so that the client's retry runs the request afresh. A key
/// whose request died mid-way (a crashed process) is freed after `abandonAfter`.
public struct IdempotentRequests: Sendable {
    /// The table a service adds to its migrations.
    public static let migrations: [any Migration] = [CreateIdempotencyKeys()]

    let database: ServiceDatabase
    let waitForFirst: Duration
    let abandonAfter: Duration

    /// Creates the guard over `database`, which must have ``migrations`` applied.
    public init(database: ServiceDatabase, waitForFirst: Duration = .seconds(10), abandonAfter: Duration = .seconds(60)) {
        self.database = database
        self.waitForFirst = waitForFirst
        self.abandonAfter = abandonAfter
    }

    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// Runs `handler` once per (caller, key, body), answering repeats with the first answer.
    /// - Parameters:
    ///   - request: The request; its body is read here and handed to `handler`.
    ///   - caller: Who the key belongs to (the token's subject): keys of different callers never meet.
    ///   - handler: Produces the answer from the body.
    public func respond(
        to request: Request,
        context: EmporiumRequestContext,
        caller: String,
        _ handler: (ByteBuffer) async throws -> Response
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
            throw Problem(
                .invalidParameter, detail: "This request needs an Idempotency-Key header (a unique value per intended operation).",
                field: "Idempotency-Key")
        }
        // The contract's pattern, `^[!-~]{1,255}$`: an opaque token of visible ASCII, as a UUID is.
        guard key.utf8.count <= 255, key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem(
                .invalidParameter, detail: "The Idempotency-Key must be 1 to 255 visible ASCII characters, without spaces.",
                field: "Idempotency-Key")
        }
        let body = try await request.body.collect(upTo: context.maxRequestBodyBytes)
        let fingerprint = Self.fingerprint(method: request.method.rawValue, path: request.uri.path, body: body)
        if let replay = try await claim(caller: caller, key: key, fingerprint: fingerprint) { return replay }

        let response: Response
        do {
            response = try await handler(body)
        } catch let problem as Problem where problem.status.code < 500 {
            let answer = try problem.response(from: request, context: context)
            return try await keep(answer, caller: caller, key: key)
        } catch {
            try? await release(caller: caller, key: key)
            throw error
        }
        guard response.status.code < 500 else {
            try? await release(caller: caller, key: key)
            return response
        }
        return try await keep(response, caller: caller, key: key)
    }

    // MARK: Steps

    private struct Row: Decodable {
        var fingerprint: String
        var status: Int?
        var content_type: String?
        var location: String?
        var body: String?
        var claimed_at: Double
    }

    /// Claims the key, or returns the answer to give instead of running the handler.
    private func claim(caller: String, key: String, fingerprint: String) async throws -> Response? {
        let deadline = ContinuousClock.now + waitForFirst
        while true {
            let now = Date().timeIntervalSince1970
            let claimed = try await sql.raw(
                """
                INSERT INTO idempotency_keys (caller, key, fingerprint, claimed_at) VALUES (\(bind: caller), \(bind: key), \(bind: fingerprint), \(bind: now))
                ON CONFLICT (caller, key) DO NOTHING RETURNING key
                """
            ).first()
            if claimed != nil { return nil }
            guard
                let row = try await sql.raw(
                    "SELECT fingerprint, status, content_type, location, body, claimed_at FROM idempotency_keys WHERE caller = \(bind: caller) AND key = \(bind: key)"
                ).first(decoding: Row.self)
            else { continue }  // freed in between: claim again
            guard row.fingerprint == fingerprint else {
                throw Problem(
                    .idempotencyKeyReused, detail: "This Idempotency-Key was used with a different request; use a new key for a new operation.",
                    field: "Idempotency-Key")
            }
            if let status = row.status {
                var headers: HTTPFields = [HTTPField.Name("Idempotent-Replayed")!: "true"]
                if let type = row.content_type { headers[.contentType] = type }
                if let location = row.location { headers[.location] = location }
                return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: row.body ?? "")))
            }
            // In progress elsewhere. A claim older than `abandonAfter` belonged to a request that died.
            if now - row.claimed_at > Double(abandonAfter.components.seconds) {
                let taken = try await sql.raw(
                    """
                    UPDATE idempotency_keys SET claimed_at = \(bind: now)
                    WHERE caller = \(bind: caller) AND key = \(bind: key) AND status IS NULL AND claimed_at = \(bind: row.claimed_at) RETURNING key
                    """
                ).first()
                if taken != nil { return nil }
            }
            guard ContinuousClock.now < deadline else {
                throw Problem(
                    .idempotencyKeyInProgress, detail: "A request with this Idempotency-Key is still being processed; retry shortly.",
                    headers: [.retryAfter: "1"])
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Stores the answer and returns it, its body read into memory (these answers are small JSON).
    private func keep(_ response: Response, caller: String, key: String) async throws -> Response {
        let writer = CollectingWriter()
        try await response.body.write(writer)
        let collected = writer.collected
        let body = String(buffer: collected)
        try await sql.raw(
            """
            UPDATE idempotency_keys SET status = \(bind: Int(response.status.code)), content_type = \(bind: response.headers[.contentType]),
                location = \(bind: response.headers[.location]), body = \(bind: body)
            WHERE caller = \(bind: caller) AND key = \(bind: key)
            """
        ).run()
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: collected))
    }

    private func release(caller: String, key: String) async throws {
        try await sql.raw("DELETE FROM idempotency_keys WHERE caller = \(bind: caller) AND key = \(bind: key) AND status IS NULL").run()
    }

    /// What identifies a request: method, path and body — a JSON body in a canonical form (keys
    /// sorted, no whitespace), so that a client whose encoder orders keys differently each time
    /// is still sending "the same body".
    static func fingerprint(method: String, path: String, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(path)\n".utf8))
        let bytes = Data(body.readableBytesView)
        if let json = try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed]),
            let canonical = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        {
            hasher.update(data: canonical)
        } else {
            hasher.update(data: bytes)
        }
        return hasher.finalize().hexEncoded
    }
}

/// Collects a response body into one buffer. A class, because the body consumes its writer and
/// the bytes must outlive that; it lives in one task, the one that keeps the answer.
private final class CollectingWriter: ResponseBodyWriter {
    var collected = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        collected.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension ProblemType {
    /// An `Idempotency-Key` reused for a different request.
    public static let idempotencyKeyReused = ProblemType(
        slug: "idempotency-key-reused", title: "The Idempotency-Key was used for another request", status: .unprocessableContent)
    /// The first request with this key has not finished.
    public static let idempotencyKeyInProgress = ProblemType(
        slug: "idempotency-key-in-progress", title: "A request with this Idempotency-Key is in progress", status: .conflict)
}
