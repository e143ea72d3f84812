public import EmporiumCore
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import Synchronization

/// A simulator's faults as they are now: they start as configured and an operator changes them
/// at run time (`PUT /simulator/faults`), so that a user can break the payment gateway, watch the
/// platform cope, and heal it again without restarting anything.
public final class FaultSwitch: Sendable {
    private let faults: Mutex<InjectedFaults>

    /// Faults starting as `initial`.
    public init(_ initial: InjectedFaults) {
        faults = Mutex(initial)
    }

    /// The faults now.
    public var current: InjectedFaults { faults.withLock { $0 } }

    /// Replaces the faults.
    public func set(_ new: InjectedFaults) {
        faults.withLock { $0 = new }
    }
}

/// The faults as `GET` and `PUT /simulator/faults` carry them, in milliseconds and shares.
public struct FaultSettings: ResponseCodable, Sendable, Equatable {
    /// Added before every answer.
    public var latencyMs: Int
    /// The share of calls that fail, 0 to 1.
    public var errorRate: Double
    /// The share of calls that wait `spikeMs` more, 0 to 1.
    public var spikeRate: Double
    /// The extra delay of a spike.
    public var spikeMs: Int

    /// Creates settings from values.
    public init(latencyMs: Int, errorRate: Double, spikeRate: Double, spikeMs: Int) {
        self.latencyMs = latencyMs
        self.errorRate = errorRate
        self.spikeRate = spikeRate
        self.spikeMs = spikeMs
    }

    /// `faults` in these units.
    public init(_ faults: InjectedFaults) {
        self.init(
            latencyMs: Int(faults.latency.components.seconds * 1000 + faults.latency.components.attoseconds / 1_000_000_000_000_000),
            errorRate: faults.errorRate, spikeRate: faults.spikeRate,
            spikeMs: Int(faults.spikeLatency.components.seconds * 1000 + faults.spikeLatency.components.attoseconds / 1_000_000_000_000_000))
    }

    /// The most a delay may be: a minute, so that a typo cannot hang every caller for good.
    public static let maxDelayMs = 60_000

    /// The faults these settings name, or the problem naming the first value out of range.
    public func validated() throws -> InjectedFaults {
        guard (0...Self.maxDelayMs).contains(latencyMs) else {
            throw Problem(.invalidField, detail: "latencyMs must be 0 to \(Self.maxDelayMs), got \(latencyMs).", field: "latencyMs")
        }
        guard errorRate.isFinite, (0...1).contains(errorRate) else {
            throw Problem(.invalidField, detail: "errorRate must be a share from 0 to 1, got \(errorRate).", field: "errorRate")
        }
        guard spikeRate.isFinite, (0...1).contains(spikeRate) else {
            throw Problem(.invalidField, detail: "spikeRate must be a share from 0 to 1, got \(spikeRate).", field: "spikeRate")
        }
        guard (0...Self.maxDelayMs).contains(spikeMs) else {
            throw Problem(.invalidField, detail: "spikeMs must be 0 to \(Self.maxDelayMs), got \(spikeMs).", field: "spikeMs")
        }
        return InjectedFaults(latency: .milliseconds(latencyMs), errorRate: errorRate, spikeRate: spikeRate, spikeLatency: .milliseconds(spikeMs))
    }
}

/// `GET` and `PUT /simulator/faults`: a simulator's faults, read and changed by an operator who
/// presents its operator key (`Authorization: Bearer <key>`). Without an operator key configured
/// the path does not exist; it is the simulator's, never the gateway's.
public struct FaultRoutes: Sendable {
    /// The path.
    public static let path = "/simulator/faults"

    let faults: FaultSwitch
    let operatorKey: String
    let logger: @Sendable (InjectedFaults) -> Void

    /// Routes over `faults` for whoever presents `operatorKey`; `changed` is told each change.
    public init(faults: FaultSwitch, operatorKey: String, changed: @escaping @Sendable (InjectedFaults) -> Void) {
        self.faults = faults
        self.operatorKey = operatorKey
        self.logger = changed
    }

    /// The simulator's faults, starting as `configured`; with an operator key, the routes that
    /// change them are added to `router`, and each change is logged.
    public static func install(
        _ configured: InjectedFaults, operatorKey: String?, on router: Router<EmporiumRequestContext>, logger: Logger
    ) -> FaultSwitch {
        let faults = FaultSwitch(configured)
        if let operatorKey {
            FaultRoutes(faults: faults, operatorKey: operatorKey) { new in
                let settings = FaultSettings(new)
                logger.notice(
                    "Injected faults changed",
                    metadata: [
                        "latency-ms": "\(settings.latencyMs)", "error-rate": "\(settings.errorRate)", "spike-rate": "\(settings.spikeRate)",
                        "spike-ms": "\(settings.spikeMs)",
                    ])
            }.register(on: router)
        }
        return faults
    }

    /// Adds the routes to `router`.
    public func register(on router: Router<EmporiumRequestContext>) {
        router.resource(RouterPath(stringLiteral: Self.path)) { routes in
            routes.get { (request: Request, _: EmporiumRequestContext) -> FaultSettings in
                try authenticate(request)
                return FaultSettings(faults.current)
            }
            routes.put { (request: Request, context: EmporiumRequestContext) -> FaultSettings in
                try authenticate(request)
                let new = try await request.decodeJSON(as: FaultSettings.self, context: context).validated()
                faults.set(new)
                logger(new)
                return FaultSettings(new)
            }
        }
    }

    private func authenticate(_ request: Request) throws {
        let header = request.headers[.authorization] ?? ""
        guard SecretComparison.equal(header, "Bearer " + operatorKey) else {
            throw Problem(.unauthorized, detail: "Present the simulator's operator key as a bearer token.", headers: [.wwwAuthenticate: "Bearer"])
        }
    }
}
