import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// `Idempotency-Key` semantics on a real SQLite database, around a handler that counts its runs.
@Suite(.timeLimit(.minutes(2))) struct IdempotentRequestsTests {
    final class Runs: Sendable {
        let count = Mutex(0)
        let failNext = Mutex<Problem?>(nil)
    }

    /// A component with `POST /things`, guarded by ``IdempotentRequests``; the caller is the
    /// `X-Caller` header (standing in for a token's subject).
    func withThings(_ body: @escaping @Sendable (any TestClientProtocol, Runs) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServiceDatabase(
            location: .sqliteFile(path: directory.appendingPathComponent("s.sqlite").path), logger: Logger(label: "test"))
        try await database.migrate(IdempotentRequests.migrations)
        let guarded = IdempotentRequests(database: database)
        let runs = Runs()
        let server = try ComponentServer(component: "things", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        router.post("/things") { request, context in
            try await guarded.respond(to: request, context: context, caller: request.headers[HTTPField.Name("X-Caller")!] ?? "anyone") { body in
                let run = runs.count.withLock {
                    $0 += 1
                    return $0
                }
                // Slow enough that concurrent requests overlap.
                try await Task.sleep(for: .milliseconds(100))
                if let problem = runs.failNext.withLock({ value in
                    defer { value = nil }
                    return value
                }) {
                    throw problem
                }
                return Response(
                    status: .created,
                    headers: [.contentType: "application/json", .location: "/things/\(run)"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"run":\#(run),"echo":\#(String(buffer: body))}"#))
                )
            }
        }
        try await server.makeApplication(router: router, services: ComponentServices(database: database)).test(.live) { client in
            try await body(client, runs)
        }
    }

    func post(_ client: some TestClientProtocol, key: String?, body: String, caller: String = "alice") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-Caller")!: caller]
        if let key { headers[.idempotencyKey] = key }
        return try await client.execute(uri: "/things", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func theSameJSONWithItsKeysInAnotherOrderIsTheSameRequest() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            let first = try await post(client, key: "k-order", body: #"{"a":1,"b":{"c":2,"d":3}}"#)
            let second = try await post(client, key: "k-order", body: #"{ "b": {"d":3, "c":2}, "a": 1 }"#)
            #expect(first.status == .created && second.status == .created)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(runs.count.withLock { $0 } == 1)
            let other = try await post(client, key: "k-order", body: #"{"a":1,"b":{"c":2,"d":4}}"#)
            #expect(other.status == .unprocessableContent)
        }
    }

    @Test func theSameKeyAndBodyGetTheFirstAnswer() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            let first = try await post(client, key: "k1", body: #"{"a":1}"#)
            let second = try await post(client, key: "k1", body: #"{"a":1}"#)
            #expect(first.status == .created && second.status == .created)
            #expect(String(buffer: first.body) == String(buffer: second.body))
            #expect(second.headers[.location] == first.headers[.location])
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(runs.count.withLock { $0 } == 1)
        }
    }

    @Test func theSameKeyWithAnotherBodyIs422() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            _ = try await post(client, key: "k1", body: #"{"a":1}"#)
            let other = try await post(client, key: "k1", body: #"{"a":2}"#)
            #expect(other.status == .unprocessableContent)
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(other.body.readableBytesView))
            #expect(problem.field == "Idempotency-Key")
            #expect(runs.count.withLock { $0 } == 1)
        }
    }

    @Test func aMissingKeyIs400() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            let response = try await post(client, key: nil, body: "{}")
            #expect(response.status == .badRequest)
            #expect(runs.count.withLock { $0 } == 0)
        }
    }

    @Test func aKeyOutsideVisibleASCIIIs400() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            for key in ["two words", String(repeating: "k", count: 256)] {
                let response = try await post(client, key: key, body: "{}")
                #expect(response.status == .badRequest, "\(key)")
            }
            #expect(runs.count.withLock { $0 } == 0)
        }
    }

    @Test func concurrentRequestsWithOneKeyRunOnce() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let response = try await post(client, key: "same", body: #"{"a":1}"#)
                        #expect(response.status == .created)
                        return String(buffer: response.body)
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(bodies.count == 1)
            #expect(runs.count.withLock { $0 } == 1)
        }
    }

    @Test func aServerFailureFreesTheKeyButARefusalIsKept() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            runs.failNext.withLock { $0 = Problem(.serviceUnavailable, detail: "a dependency is down") }
            #expect(try await post(client, key: "k1", body: "{}").status == .serviceUnavailable)
            // The retry runs again, and succeeds.
            #expect(try await post(client, key: "k1", body: "{}").status == .created)
            #expect(runs.count.withLock { $0 } == 2)

            runs.failNext.withLock { $0 = Problem(.invalidField, detail: "bad", field: "a") }
            #expect(try await post(client, key: "k2", body: "{}").status == .badRequest)
            #expect(try await post(client, key: "k2", body: "{}").status == .badRequest)
            #expect(runs.count.withLock { $0 } == 3)
        }
    }

    @Test func keysOfDifferentCallersNeverMeet() async throws {
        try await withThings { (client: any TestClientProtocol, runs: Runs) async throws in
            let alice = try await post(client, key: "k1", body: "{}", caller: "alice")
            let bob = try await post(client, key: "k1", body: "{}", caller: "bob")
            #expect(alice.headers[.location] != bob.headers[.location])
            #expect(runs.count.withLock { $0 } == 2)
        }
    }
}
