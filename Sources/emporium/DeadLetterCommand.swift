public import ArgumentParser
import Configuration
import Contracts
import EmbeddedPlatform
import EmporiumCore
import Foundation
import Logging

/// `emporium dlq`: what operators do with the events a service gave up on.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, inspect, replay or discard the dead letters of a service.",
        discussion: """
            A dead letter is an event a service's consumer failed to handle after its retries. Replaying \
            marks it for the running service, which handles it again within a second (at most once: its \
            inbox still guards against a second effect). Works on the embedded mode's data directory or \
            on a service's database URL.
            """,
        subcommands: [List.self, Show.self, Replay.self, Discard.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, newest failure first.")
        @OptionGroup var target: DeadLetterTarget
        @Option(help: "Only those with this status: dead, replay_requested, replayed, discarded.")
        var status: DeadLetter.Status?

        func run() async throws {
            let letters = try await target.withStore { try await $0.list(status: status) }
            guard !letters.isEmpty else {
                print("No dead letters in the \(target.component.rawValue) service.")
                return
            }
            for letter in letters {
                print(
                    "\(letter.id.uuidString)  \(letter.status.rawValue)  \(letter.attempts) attempts  "
                        + "last \(letter.lastFailedAt.formatted(.iso8601))  \(letter.consumer)  \(letter.subject)"
                )
                print("    event \(letter.eventID): \(letter.lastError.prefix(160))")
            }
            print("\(letters.count) dead letter(s).")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dead letter with its whole event.")
        @OptionGroup var target: DeadLetterTarget
        @Argument(help: "The dead letter's id.") var id: String

        func run() async throws {
            let uuid = try DeadLetterTarget.parse(id)
            guard let letter = try await target.withStore({ try await $0.find(uuid) }) else {
                throw OperatorError("There is no dead letter \(id) in the \(target.component.rawValue) service.")
            }
            print(
                """
                id:            \(letter.id.uuidString)
                status:        \(letter.status.rawValue)
                consumer:      \(letter.consumer)
                event:         \(letter.eventID) (\(letter.subject))
                attempts:      \(letter.attempts)
                first failed:  \(letter.firstFailedAt.formatted(.iso8601))
                last failed:   \(letter.lastFailedAt.formatted(.iso8601))
                last error:    \(letter.lastError)
                payload:
                \(letter.payload)
                """)
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask the running service to handle dead letters again.")
        @OptionGroup var target: DeadLetterTarget
        @Argument(help: "The dead letter's id.") var id: String?
        @Flag(help: "Replay every dead letter of the service.") var all = false

        func validate() throws {
            if (id == nil) == !all { throw ValidationError("Give either one dead letter's id or --all.") }
        }

        func run() async throws {
            let ids = try id.map { [try DeadLetterTarget.parse($0)] }
            let count = try await target.withStore { try await $0.requestReplay(ids) }
            print("Marked \(count) dead letter(s) for replay; the running \(target.component.rawValue) service handles them within a second.")
            if count == 0, id != nil { throw ExitCode(1) }
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a dead letter as needing no handling.")
        @OptionGroup var target: DeadLetterTarget
        @Argument(help: "The dead letter's id.") var id: String

        func run() async throws {
            let uuid = try DeadLetterTarget.parse(id)
            let count = try await target.withStore { try await $0.discard([uuid]) }
            print(count == 1 ? "Discarded \(id)." : "There is no dead or replay-requested letter \(id).")
            if count == 0 { throw ExitCode(1) }
        }
    }
}

/// Which service's dead letters, and where its database is.
struct DeadLetterTarget: ParsableArguments {
    @Option(help: "The service: user, product, order, payment or notification.")
    var component: Component

    @Option(help: "Embedded mode: the data directory. (env: EMPORIUM_DATA_DIR; default ./.emporium)")
    var dataDir: String?

    @Option(help: "Distributed mode: the service's database URL. (env: <C>_DATABASE_URL)")
    var databaseURL: String?

    func validate() throws {
        guard Component.services.contains(component) else {
            throw ValidationError("Only services have dead letters: \(Component.services.map(\.rawValue).joined(separator: ", ")).")
        }
        if dataDir != nil && databaseURL != nil { throw ValidationError("Give --data-dir or --database-url, not both.") }
    }

    static func parse(_ id: String) throws -> UUID {
        guard let uuid = UUID(uuidString: id) else { throw ValidationError("\(id) is not a dead letter id (a UUID).") }
        return uuid
    }

    /// Opens the service's database, runs `body` with its dead-letter store, and closes it.
    func withStore<Result: Sendable>(_ body: @Sendable (DeadLetterStore) async throws -> Result) async throws -> Result {
        var flags = ConfigurationLayer()
        flags.set("\(component.configScope).database.url", databaseURL)
        flags.set("emporium.data-dir", dataDir)
        let config = ConfigReader(providers: [flags.provider(name: "flags"), EnvironmentVariablesProvider()])
        let location: DatabaseLocation
        if dataDir == nil, config.string(forKey: ConfigKey("\(component.configScope).database.url")) != nil {
            location = try config.scoped(to: ConfigKey(component.configScope)).requiredDatabase(scope: component.configScope)
        } else {
            let embedded = EmbeddedDefaults(config: config)
            let path = embedded.databasePath(of: component)
            // Opening a missing file would create an empty database; say what is wrong instead.
            guard FileManager.default.fileExists(atPath: path) else {
                throw OperatorError(
                    "There is no \(component.rawValue) database at \(path); has Emporium run with --data-dir \(embedded.dataDirectory)?")
            }
            location = .sqliteFile(path: path)
        }
        var logger = Logger(label: "emporium.dlq")
        logger.logLevel = .warning
        let database = try ServiceDatabase(location: location, logger: logger)
        do {
            let result = try await body(DeadLetterStore(database: database.database()))
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

extension DeadLetter.Status: ExpressibleByArgument {}

extension Component: ExpressibleByArgument {}

/// A failure of an operator command that is not a usage mistake: printed as `Error: …`, exit 1.
struct OperatorError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
