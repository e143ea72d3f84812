import AsyncHTTPClient
import EmporiumCore
import Logging
import NIOHTTP1
import ServiceLifecycle

/// Active health checks: every `interval`, each upstream instance's `/health/live` is asked, and
/// an instance that does not answer is left out of the rotation until it does again.
struct UpstreamHealthProbe: Service {
    let directory: UpstreamDirectory
    let client: OutboundHTTPClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await BackgroundLoop(name: "Upstream health probe", logger: logger).run {
            await withTaskGroup(of: Void.self) { group in
                for instance in directory.allInstances {
                    group.addTask { await probe(instance) }
                }
            }
            return .sleep(interval)
        }
    }

    private func probe(_ instance: BalancedInstance) async {
        var healthy = false
        do {
            let response = try await client.execute(HTTPClientRequest(url: instance.baseURL + "/health/live"), timeout: .seconds(1))
            _ = try await response.body.collect(upTo: 64 * 1024)
            healthy = response.status == .ok
        } catch {
            healthy = false
        }
        if healthy != instance.isHealthy {
            logger.notice(healthy ? "Upstream instance is back" : "Upstream instance is down", metadata: ["instance": "\(instance.name)"])
        }
        instance.setHealthy(healthy)
    }
}
