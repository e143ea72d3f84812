import Contracts
import EmporiumCore
import Gateway

/// Collects the port each component binds, tells the gateway where services are, and reports
/// readiness once, when the last component listens.
actor StartupTracker {
    private let expected: Set<Component>
    private let directory: UpstreamDirectory
    private let host: String
    private let dataDirectory: String
    private let mailDirectory: String
    private let onReady: @Sendable (ReadyReport) async -> Void
    private var ports: [Component: Int] = [:]
    private var reported = false

    init(
        expected: Set<Component>,
        directory: UpstreamDirectory,
        gatewayHost: String,
        dataDirectory: String,
        mailDirectory: String,
        onReady: @escaping @Sendable (ReadyReport) async -> Void
    ) {
        self.expected = expected
        self.directory = directory
        self.host = gatewayHost
        self.dataDirectory = dataDirectory
        self.mailDirectory = mailDirectory
        self.onReady = onReady
    }

    func started(_ name: String, port: Int) async {
        guard let component = Component(rawValue: name) else { return }
        ports[component] = port
        if component != .gateway {
            directory.register(component, baseURL: "http://127.0.0.1:\(port)")
        }
        guard !reported, expected.isSubset(of: ports.keys), let gatewayPort = ports[.gateway] else { return }
        reported = true
        let displayHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        await onReady(
            ReadyReport(gatewayURL: "http://\(displayHost):\(gatewayPort)", ports: ports, dataDirectory: dataDirectory, mailDirectory: mailDirectory))
    }
}
