import AsyncHTTPClient
import EmporiumCore
import NIOHTTP1

/// Ready when an upstream component's own `/health/ready` answers 200.
struct UpstreamReadinessCheck: ReadinessCheck {
    let component: Component
    let directory: UpstreamDirectory
    let client: OutboundHTTPClient

    var name: String { component.rawValue }

    func check() async -> CheckResult {
        guard let baseURL = directory.baseURL(of: component) else {
            return .unready("not started")
        }
        do {
            let response = try await client.execute(HTTPClientRequest(url: baseURL + "/health/ready"), timeout: .seconds(2))
            // The body is drained so that the pooled connection can be reused.
            _ = try await response.body.collect(upTo: 64 * 1024)
            return response.status == .ok ? .ready(baseURL) : .unready("\(baseURL) answered \(response.status.code)")
        } catch {
            return .unready("\(baseURL) cannot be reached")
        }
    }
}
