import AsyncHTTPClient
import Contracts
import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1
import SimulatorSupport

/// The simulators' injected faults, read and changed from the console through each simulator's
/// own `PUT /simulator/faults` (``FaultRoutes``) with its operator key: only the simulated
/// external systems have such a switch, and only a console holding their keys can throw it.
struct FaultControl: Sendable {
    /// The simulators whose faults can be changed, in the order the page shows them.
    static let simulators = Component.faultInjectable

    let keys: [Component: String]
    let targets: ConsoleTargets
    let client: OutboundHTTPClient

    /// The simulators this console holds a key for.
    var controllable: [Component] { Self.simulators.filter { keys[$0] != nil } }

    /// `simulator`'s faults now (its first instance's), nil when it cannot be asked.
    func current(of simulator: Component) async -> FaultSettings? {
        guard let key = keys[simulator], let url = targets.instances()[simulator.rawValue]?.first else { return nil }
        var request = HTTPClientRequest(url: url + FaultRoutes.path)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        guard let response = try? await client.execute(request, timeout: .seconds(2)), response.status == .ok,
            let body = try? await response.body.collect(upTo: 64 * 1024)
        else { return nil }
        return try? JSONDecoder().decode(FaultSettings.self, from: Data(body.readableBytesView))
    }

    /// Sets `settings` on every instance of `simulator`.
    /// - Throws: a 503 ``Problem`` naming the instance that did not take them.
    func apply(_ settings: FaultSettings, to simulator: Component) async throws {
        guard let key = keys[simulator], let urls = targets.instances()[simulator.rawValue], !urls.isEmpty else {
            throw Problem(.notFound, detail: "The console cannot change \(simulator.rawValue)'s faults.")
        }
        for url in urls {
            var request = HTTPClientRequest(url: url + FaultRoutes.path)
            request.method = .PUT
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(settings)))
            let response = try? await client.execute(request, timeout: .seconds(5))
            _ = try? await response?.body.collect(upTo: 64 * 1024)
            guard response?.status == .ok else {
                throw Problem(
                    .serviceUnavailable, detail: "\(url) did not take the new faults (\(response.map { "\($0.status.code)" } ?? "no answer")).")
            }
        }
    }
}
