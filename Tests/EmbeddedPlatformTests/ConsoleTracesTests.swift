import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The console as the embedded platform's collector: every component exports its spans to it by
/// default, and an admin finds an order's traces by its id and reads one as a waterfall across
/// the components it crossed, the hops through the broker marked.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct ConsoleTracesTests {
    static var exportingToTheConsole: ConfigurationLayer {
        var layer = ConfigurationLayer()
        layer.set("emporium.traces.to-console", true)
        return layer
    }

    @Test func anOrdersTracesAreFoundByItsIdAndCrossTheComponents() async throws {
        try await PlatformFixture.withPlatform(configuration: Self.exportingToTheConsole) { report in
            let shop = try await Shop.open(report)
            let product = try await shop.newProduct(stock: 2)
            let customer = try await shop.newCustomer()
            let order = try await shop.order(customer, product.id)
            _ = try await shop.waitFor(.awaitingPayment, customer, order: order.id)
            #expect(try await shop.pay(customer, order.id).status == 201)

            try await CodeFlowBrowser.using(gateway: report.gatewayURL) { admin in
                _ = try await admin.signIn(
                    email: DemoAccount.admin.email, password: DemoAccount.defaultPassword, returnTo: "/console/traces",
                    start: "/console/session/signin?return=/console/traces")
                // Each component's exporter sends every second, on its own: poll until the
                // creation's and the payment's traces hold every component's spans.
                let expected: Set<String> = ["gateway", "order", "product", "payment", "notification", "shipping", "payment-gateway"]
                let deadline = ContinuousClock.now + .seconds(30)
                var components = Set<String>()
                var crossesTheBroker = false
                var traces: [String] = []
                while !(components.isSuperset(of: expected) && crossesTheBroker), ContinuousClock.now < deadline {
                    let list = try await admin.send(.GET, "/console/traces?order=\(order.id.uuidString.lowercased())")
                    try #require(list.status == 200)
                    traces = Self.traceIDs(in: String(decoding: list.body, as: UTF8.self))
                    for trace in traces {
                        let page = try await admin.send(.GET, "/console/traces/\(trace)")
                        #expect(page.status == 200)
                        let html = String(decoding: page.body, as: UTF8.self)
                        crossesTheBroker =
                            crossesTheBroker || html.contains("via the broker: receives \(OrderCreated.eventType) from the broker as product.")
                        for component in Component.allCases where html.contains("<td>\(component.rawValue)</td>") {
                            components.insert(component.rawValue)
                        }
                    }
                    if !(components.isSuperset(of: expected) && crossesTheBroker) { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(traces.count >= 2, "the order's creation and its payment are traces of their own")
                #expect(crossesTheBroker, "a consumer's span of OrderCreated is in the order's traces")
                #expect(components.isSuperset(of: expected), "\(components)")

                let unknown = try await admin.send(.GET, "/console/traces/\(String(repeating: "0", count: 32))")
                #expect(unknown.status == 404)
                let badStatus = try await admin.send(.GET, "/console/traces?status=sideways")
                #expect(badStatus.status == 400 && badStatus.problem?.field == "status")
            }
        }
    }

    @Test func theReceiverTakesOnlyKeyedProtobufExports() async throws {
        var configuration = Self.exportingToTheConsole
        let key = "a-test-ingest-key-of-some-length"
        configuration.setSecret("console.traces.ingest-key", key)
        try await PlatformFixture.withPlatform(configuration: configuration) { report in
            let receiver = "http://127.0.0.1:\(try #require(report.ports[.console]))/v1/traces"
            let protobuf = ("Content-Type", "application/x-protobuf")
            let unkeyed = try await HTTP.send(.POST, receiver, headers: [protobuf])
            #expect(unkeyed.status == 401 && unkeyed.problem?.type == "urn:emporium:problem:unauthorized")
            let keyed = ("Authorization", "Bearer \(key)")
            let json = try await HTTP.send(.POST, receiver, json: ["resourceSpans": [String]()], headers: [keyed])
            #expect(json.status == 415 && json.problem?.detail?.contains("application/x-protobuf") == true)
            // Field 1 says 200 bytes follow; there are two.
            let truncated = try await HTTP.send(.POST, receiver, body: Data([0x0a, 0xc8, 0x01, 0x0a, 0x00]), headers: [keyed, protobuf])
            #expect(truncated.status == 400 && truncated.problem?.detail?.contains("runs past the end") == true)
            let empty = try await HTTP.send(.POST, receiver, body: Data(), headers: [keyed, protobuf])
            #expect(empty.status == 200 && empty.contentType == "application/x-protobuf")
            try await CodeFlowBrowser.using(gateway: report.gatewayURL) { visitor in
                let list = try await visitor.send(.GET, "/console/traces")
                #expect(list.status == 303, "a visitor is sent to sign in")
            }
        }
    }

    /// The ids of the traces a list links to, in its order.
    static func traceIDs(in html: String) -> [String] {
        html.matches(of: /href="\/console\/traces\/([0-9a-f]{32})"/).map { String($0.output.1) }
    }
}
