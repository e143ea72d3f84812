import Configuration
import Contracts
import EmporiumCore
import Hummingbird
import Testing

@Suite(.timeLimit(.minutes(2))) struct RequestInputTests {
    func query(_ pairs: [(String, String)]) -> Parameters {
        var parameters = Parameters()
        for (name, value) in pairs { parameters[Substring(name)] = Substring(value) }
        return parameters
    }

    @Test func pageDefaults() throws {
        let paging = try PageRequest(query: query([]))
        #expect(paging == PageRequest(page: 1, perPage: 20))
        #expect(paging.offset == 0)
    }

    @Test func pageOffset() throws {
        #expect(try PageRequest(query: query([("page", "3"), ("perPage", "10")])).offset == 20)
    }

    @Test(arguments: [("perPage", "0"), ("perPage", "101"), ("page", "0"), ("page", "abc"), ("page", "-1")])
    func badPageParametersNameTheParameter(name: String, value: String) throws {
        let error = try #require(throws: Problem.self) { try PageRequest(query: query([(name, value)])) }
        #expect(error.kind == .invalidParameter)
        #expect(error.field == name)
    }

    @Test func traceParentRoundTrips() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parsed = try #require(TraceParent(header: header))
        #expect(parsed.description == header)
        let child = parsed.child()
        #expect(child.traceID == parsed.traceID)
        #expect(child.spanID != parsed.spanID)
    }

    @Test(arguments: [
        "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        // Flags must be two hex digits; ids of the right length in characters but not in bytes fail too.
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-+1",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0é",
        "00-4bf92f3577b34da6a3ce929d0e0e473é-00f067aa0ba902b7-01",
    ])
    func invalidTraceParentIsIgnored(header: String) {
        #expect(TraceParent(header: header) == nil)
    }

    @Test func rootTraceParentIsValid() throws {
        let root = TraceParent.root()
        #expect(TraceParent(header: root.description) == root)
    }

    @Test func randomBytesComeInTheCountAskedForAndHexEncodeTwoDigitsEach() {
        for count in [0, 1, 7, 8, 9, 16, 24, 33, 1024, 1025, 5000] {
            #expect(SecureRandom.bytes(count).count == count)
        }
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        // Many small draws run through several refills of the buffer: none repeats or comes out blank.
        let draws = (0..<1_000).map { _ in SecureRandom.bytes(16) }
        #expect(Set(draws).count == draws.count)
        #expect(!draws.contains([UInt8](repeating: 0, count: 16)))
        #expect([0x00, 0x0f, 0xa5, 0xff].hexEncoded == "000fa5ff")
        #expect(TraceParent.root().traceID.count == 32)
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseLocation(url: "sqlite:///var/lib/product.sqlite") == .sqliteFile(path: "/var/lib/product.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:data/product.sqlite") == .sqliteFile(path: "data/product.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite::memory:") == .sqliteMemory)
        let postgres = try DatabaseLocation(url: "postgres://shop:s3cret@127.0.0.1:5432/product")
        #expect(postgres == .postgres(url: "postgres://shop:s3cret@127.0.0.1:5432/product"))
        #expect(!postgres.description.contains("s3cret"))
        #expect(throws: InvalidConfiguration.self) { try DatabaseLocation(url: "mysql://x") }
        #expect(throws: InvalidConfiguration.self) { try DatabaseLocation(url: "sqlite:") }
    }

    @Test func settingsComeFromConfigurationAndRejectNonsense() throws {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "product.http.port": "9002", "product.database.url": "sqlite::memory:", "product.auth.issuer-url": "http://127.0.0.1:8090/",
            ]))
        let settings = try ServiceSettings(config: config.scoped(to: "product"), component: .product)
        #expect(settings.server.port == 9002)
        #expect(settings.database == .sqliteMemory)
        #expect(settings.seedDemoData == false)
        #expect(try settings.auth.issuer.url() == "http://127.0.0.1:8090")
        #expect(settings.auth.audience == "emporium")
        let noIssuer = ConfigReader(provider: InMemoryProvider(values: ["database.url": "sqlite::memory:"]))
        let issuerError = try #require(throws: InvalidConfiguration.self) { try ServiceSettings(config: noIssuer, component: .order) }
        #expect(issuerError.key == "order.auth.issuer-url")

        let bad = ConfigReader(provider: InMemoryProvider(values: ["http.port": "eighty"]))
        let error = try #require(throws: InvalidConfiguration.self) { try HTTPServerSettings(config: bad, scope: "order", defaultPort: 80) }
        #expect(error.key == "order.http.port")
        let missing = ConfigReader(provider: InMemoryProvider(values: [:]))
        #expect(throws: InvalidConfiguration.self) { try ServiceSettings(config: missing, component: .order) }
    }

    @Test func aPostgreSQLPoolIsSizedByConfiguration() throws {
        let url = "postgres://shop@127.0.0.1:5432/order"
        let sized = ConfigReader(provider: InMemoryProvider(values: ["database.url": .init(stringLiteral: url), "database.max-connections": "12"]))
        #expect(try sized.requiredDatabase(scope: "order") == .postgres(url: url, maxConnections: 12))
        let unsized = ConfigReader(provider: InMemoryProvider(values: ["database.url": .init(stringLiteral: url)]))
        #expect(try unsized.requiredDatabase(scope: "order") == .postgres(url: url, maxConnections: DatabaseLocation.defaultMaxConnections))
        let none = ConfigReader(provider: InMemoryProvider(values: ["database.url": .init(stringLiteral: url), "database.max-connections": "0"]))
        let error = try #require(throws: InvalidConfiguration.self) { try none.requiredDatabase(scope: "order") }
        #expect(error.key == "order.database.max-connections")
        let sqlite = ConfigReader(provider: InMemoryProvider(values: ["database.url": "sqlite::memory:", "database.max-connections": "3"]))
        #expect(try sqlite.requiredDatabase(scope: "order") == .sqliteMemory)  // SQLite keeps its single connection (ADR 5)
    }
}
