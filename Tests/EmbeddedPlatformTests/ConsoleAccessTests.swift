import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The console through the gateway: admins sign in through the identity provider and see the
/// graph of every component, healthy, with the traffic they cause; everyone else is refused.
/// (Exact counts are pinned by ConsoleTests' unit suites and by the browser test against a
/// platform of its own: platforms in this process share one metrics registry.)
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct ConsoleAccessTests {
    /// The graph's JSON, as far as these tests read it.
    struct Graph: Decodable {
        struct Node: Decodable {
            var id: String
            var health: String?
        }
        struct Edge: Decodable {
            var id: String
            var kind: String
            var total: Int
        }
        var nodes: [Node]
        var edges: [Edge]
    }

    /// A console that looks as often as it does by default.
    static var watchful: ConfigurationLayer {
        var layer = ConfigurationLayer()
        layer.set("console.watch-interval-ms", 1000)
        return layer
    }

    /// The graph, once the console has looked at the platform (it does once a second).
    static func graph(_ browser: CodeFlowBrowser) async throws -> Graph {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let answer = try await browser.send(.GET, "/console/graph?window=300")
            if answer.status == 200 { return try answer.decode(Graph.self) }
            try #require(answer.status == 503 && ContinuousClock.now < deadline, "the console answers its graph within 20 s: \(answer.status)")
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func anAdminSeesEveryComponentAndTheTrafficTheyCause() async throws {
        MetricsExport.bootstrap()  // as `emporium` does at start: the console reads the process's metrics
        try await PlatformFixture.withPlatform(configuration: Self.watchful) { report in
            try await CodeFlowBrowser.using(gateway: report.gatewayURL) { admin in try await Self.watch(admin, report) }
        }
    }

    static func watch(_ admin: CodeFlowBrowser, _ report: ReadyReport) async throws {
        let page = try await admin.signIn(
            email: DemoAccount.admin.email, password: DemoAccount.defaultPassword, returnTo: "/console",
            start: "/console/session/signin?return=/console")
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("The platform, live"))

        let before = try await Self.graph(admin)
        let watched = Set(Component.allCases.map(\.rawValue))
        let nodes = Dictionary(uniqueKeysWithValues: before.nodes.map { ($0.id, $0) })
        #expect(Set(nodes.keys) == watched.union(["clients", "broker"]))
        let deadline = ContinuousClock.now + .seconds(20)
        var healthy = before
        while healthy.nodes.contains(where: { watched.contains($0.id) && $0.health != "ready" }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            healthy = try await Self.graph(admin)
        }
        #expect(healthy.nodes.filter { watched.contains($0.id) }.allSatisfy { $0.health == "ready" }, "every component answers ready")

        let shop = try await Shop.open(report)
        let product = try await shop.newProduct(stock: 2)
        let customer = try await shop.newCustomer()
        _ = try await shop.order(customer, product.id)
        let created = "publish:\(OrderCreated.eventType):order"
        let total = { (graph: Graph) in graph.edges.first { $0.id == created }?.total ?? 0 }
        var after = try await Self.graph(admin)
        while total(after) <= total(before), ContinuousClock.now < deadline + .seconds(20) {
            try await Task.sleep(for: .milliseconds(200))
            after = try await Self.graph(admin)
        }
        #expect(total(after) > total(before), "the order's OrderCreated reached the diagram")
        #expect(after.edges.first { $0.id == "call:gateway>product" }.map { $0.kind == "call" && $0.total > 0 } == true)

        let window = try await admin.send(.GET, "/console/graph?window=7")
        #expect(window.status == 400 && window.problem?.field == "window")
    }

    @Test func aCustomerAndAVisitorAreRefused() async throws {
        try await PlatformFixture.withPlatform(configuration: Self.watchful) { report in
            try await CodeFlowBrowser.using(gateway: report.gatewayURL) { visitor in
                try await CodeFlowBrowser.using(gateway: report.gatewayURL) { customer in try await Self.refuse(visitor, customer) }
            }
        }
    }

    static func refuse(_ visitor: CodeFlowBrowser, _ customer: CodeFlowBrowser) async throws {
        let first = try await visitor.send(.GET, "/console")
        #expect(first.status == 303 && first.headers.first(name: "location") == "/console/session/signin?return=/console")
        let data = try await visitor.send(.GET, "/console/graph")
        #expect(data.status == 401 && data.problem?.type == "urn:emporium:problem:unauthorized")

        let refused = try await customer.signIn(
            email: DemoAccount.customer.email, password: DemoAccount.defaultPassword, returnTo: "/console",
            start: "/console/session/signin?return=/console")
        #expect(refused.status == 403 && String(decoding: refused.body, as: UTF8.self).contains("The console is for admins"))
        let forbidden = try await customer.send(.GET, "/console/live")
        #expect(forbidden.status == 403 && forbidden.problem?.type == "urn:emporium:problem:forbidden")

        let forged = try await visitor.send(.GET, "/console/session/callback?code=x&state=y")
        #expect(forged.status == 400, "a callback no sign-in here started")
        let elsewhere = try await visitor.send(.GET, "/console")  // the visitor's browser, sent to sign in
        #expect(elsewhere.status == 303)
        let crossSite = try await HTTP.send(
            .POST, visitor.gateway + "/console/session/signout", headers: [("Sec-Fetch-Site", "cross-site")])
        #expect(crossSite.status == 403 && crossSite.headers["set-cookie"].isEmpty, "another site's form signs no one out")
    }
}
