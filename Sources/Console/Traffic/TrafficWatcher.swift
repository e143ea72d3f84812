import AsyncHTTPClient
import EmporiumCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Watches the platform once a second: asks every instance of every component for its readiness,
/// reads the metrics of every process (each instance's `/metrics` in the distributed mode, this
/// process's own registry in the embedded one, where every component shares it), and adds a
/// ``TrafficSnapshot`` to the history.
///
/// The totals are the console's own, summed over processes: a process that restarts starts its
/// counters from zero, and what it counts from then on is added, not taken for a drop.
final class TrafficWatcher: Service, Sendable {
    let targets: ConsoleTargets
    let client: OutboundHTTPClient
    let history: TrafficHistory
    let interval: Duration
    let logger: Logger
    private let accumulator = Accumulator()

    init(targets: ConsoleTargets, client: OutboundHTTPClient, history: TrafficHistory, interval: Duration = .seconds(1), logger: Logger) {
        self.targets = targets
        self.client = client
        self.history = history
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        await BackgroundLoop(name: "Console traffic watch", logger: logger).run {
            history.append(await look())
            return .sleep(interval)
        }
    }

    /// One look at the platform.
    func look() async -> TrafficSnapshot {
        let instances = targets.instances()
        let answers = await withTaskGroup(of: (String, String, InstanceHealth, TrafficReading?).self) { group in
            for (component, urls) in instances {
                for url in urls {
                    group.addTask {
                        let health = await self.health(of: url)
                        let reading = self.targets.metrics == .eachInstance && health.status != "down" ? await self.metrics(of: url) : nil
                        return (component, url, health, reading)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var health: [String: [InstanceHealth]] = [:]
        var readings: [String: TrafficReading] = [:]
        for (component, url, instance, reading) in answers {
            health[component, default: []].append(instance)
            if let reading { readings[url] = reading }
        }
        if targets.metrics == .thisProcess {
            readings["this process"] = TrafficReading(
                samples: PrometheusText.samples(in: String(decoding: MetricsExport.exposition(), as: UTF8.self), prefix: TrafficReading.metricPrefix))
        }
        for key in health.keys { health[key]?.sort { $0.url < $1.url } }
        return accumulator.add(readings, health: health, at: Date().timeIntervalSince1970)
    }

    private func health(of url: String) async -> InstanceHealth {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url + "/health/ready"), timeout: .seconds(1))
            let body = try await response.body.collect(upTo: 256 * 1024)
            let report = try? JSONDecoder().decode(HealthReport.self, from: Data(body.readableBytesView))
            return InstanceHealth(
                url: url, status: report?.status ?? (response.status == .ok ? "ready" : "unready"),
                openBreakers: report.flatMap(InstanceHealth.openBreakers))
        } catch {
            return InstanceHealth(url: url, status: "down")
        }
    }

    private func metrics(of url: String) async -> TrafficReading? {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(2))
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            guard response.status == .ok else { return nil }
            return TrafficReading(samples: PrometheusText.samples(in: String(buffer: body), prefix: TrafficReading.metricPrefix))
        } catch {
            logger.debug("An instance's metrics could not be read", metadata: ["instance": "\(url)", "error": "\(error)"])
            return nil
        }
    }
}

/// Sums the processes' readings into the console's totals.
final class Accumulator: Sendable {
    private struct State {
        var last: [String: TrafficReading] = [:]
        var totals: [EdgeKey: EdgeTotal] = [:]
        var gauges: [String: TrafficReading] = [:]
    }

    private let state = Mutex(State())

    /// Adds what each process counted since its previous reading (all it counted, when the
    /// process is new or restarted), and returns the snapshot. A process that did not answer
    /// keeps its previous gauges.
    func add(_ readings: [String: TrafficReading], health: [String: [InstanceHealth]], at time: Double) -> TrafficSnapshot {
        state.withLock { state in
            for (source, reading) in readings {
                let previous = state.last[source]
                for (key, now) in reading.edges {
                    if let before = previous?.edges[key], now.follows(before) {
                        state.totals[key, default: EdgeTotal()].add(now.since(before))
                    } else {
                        state.totals[key, default: EdgeTotal()].add(now)
                    }
                }
                state.last[source] = reading
                state.gauges[source] = reading
            }
            // The instances of a service share its database and its consumer groups, so each
            // reports the same outbox, dead letters and lag: the largest figure is the service's.
            func merged(_ figure: (TrafficReading) -> [String: Double]) -> [String: Double] {
                state.gauges.values.reduce(into: [:]) { merged, reading in merged.merge(figure(reading)) { max($0, $1) } }
            }
            return TrafficSnapshot(
                at: time, edges: state.totals, instances: health, outboxDepth: merged(\.outboxDepth),
                outboxOldestAge: merged(\.outboxOldestAge), deadLetters: merged(\.deadLetters), consumerLag: merged(\.consumerLag))
        }
    }
}
