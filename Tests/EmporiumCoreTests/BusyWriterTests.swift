import EmporiumCore
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

/// A SQLite service whose writer stays busy past the queue limit answers 503 at once instead of
/// holding its clients, and writes nothing for the requests it turned away.
@Suite(.timeLimit(.minutes(2))) struct BusyWriterTests {
    @Test func aWriteThatCannotGetTheWriterInTimeIsA503AndChangesNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServiceDatabase(
            location: .sqliteFile(path: directory.appendingPathComponent("s.sqlite").path),
            writeQueueTimeout: .milliseconds(200),
            logger: Logger(label: "test")
        )
        try await database.migrate([CreateNotes()])
        let server = try ComponentServer(component: "notes", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        router.post("/notes") { _, _ -> HTTPResponse.Status in
            try await database.transaction { try await $0.sql.insert(into: "notes").columns("text").values(SQLBind("from a request")).run() }
            return .created
        }

        // Something holds the writer (a long transaction, a stalled disk) until released.
        let (released, release) = AsyncStream<Void>.makeStream()
        let (holding, held) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await database.transaction { database in
                try await database.sql.insert(into: "notes").columns("text").values(SQLBind("held")).run()
                held.yield()
                for await _ in released { break }
            }
        }
        // Let go after a while regardless, so that a writer without the limit fails this test
        // instead of hanging it.
        let backstop = Task {
            try await Task.sleep(for: .seconds(5))
            release.yield()
        }
        defer { backstop.cancel() }
        for await _ in holding { break }

        try await server.makeApplication(router: router, services: ComponentServices(database: database)).test(.live) { client in
            let started = ContinuousClock.now
            let refused = try await client.execute(uri: "/notes", method: .post)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: refused.body).contains("too busy"))
            // Turned away after the limit, not after the holder let go.
            #expect(ContinuousClock.now - started < .seconds(4))

            release.yield()
            try await holder.value
            let accepted = try await client.execute(uri: "/notes", method: .post)
            #expect(accepted.status == .created)
            let notes = try await database.database().sql.select().column("text").from("notes").all(decoding: Note.self).map(\.text)
            #expect(notes.sorted() == ["from a request", "held"])
        }
    }

    struct Note: Decodable { var text: String }

    struct CreateNotes: AsyncMigration {
        func prepare(on database: any Database) async throws {
            try await database.schema("notes").field("text", .string, .required).create()
        }

        func revert(on database: any Database) async throws {
            try await database.schema("notes").delete()
        }
    }
}
