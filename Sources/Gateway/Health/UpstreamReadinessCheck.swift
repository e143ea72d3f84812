import AsyncHTTPClient
import Contracts
import EmporiumCore
import NIOHTTP1

/// Ready when at least one instance of an upstream component answers its own `/health/ready`
/// with 200; degraded when some do not.
struct UpstreamReadinessCheck: ReadinessCheck {
    let component: Component
    let directory: UpstreamDirectory
    let client: OutboundHTTPClient

    var name: String { component.rawValue }

    func check() async -> CheckResult {
        let instances = directory.instances(of: component)
        guard !instances.isEmpty else { return .unready("not started") }
        let ready = await withTaskGroup(of: Bool.self) { group in
            for instance in instances { group.addTask { await isReady(instance) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        if instances.count == 1 {
            return ready == 1 ? .ready(instances[0].baseURL) : .unready("\(instances[0].baseURL) is not ready")
        }
        let summary = "\(ready) of \(instances.count) instances ready"
        return ready == instances.count ? .ready(summary) : ready > 0 ? .degraded(summary) : .unready(summary)
    }

    private func isReady(_ instance: BalancedInstance) async -> Bool {
        do {
            let response = try await client.execute(HTTPClientRequest(url: instance.baseURL + "/health/ready"), timeout: .seconds(2))
            // The body is drained so that the pooled connection can be reused.
            _ = try await response.body.collect(upTo: 64 * 1024)
            return response.status == .ok
        } catch {
            return false
        }
    }
}
