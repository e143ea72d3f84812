import EmporiumCore
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The gateway's keep-alive connections to its upstream instances, one pool per event loop: a
/// client's request is forwarded on a connection of the loop that owns the client's connection,
/// so that no request changes thread (ADR 36).
final class UpstreamConnectionPools: Service, Sendable {
    /// The most idle connections a loop keeps to one instance; more are closed as they come back.
    let maxIdlePerInstance: Int
    /// How long a new connection may take.
    let connectTimeout: TimeAmount
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<LoopConnectionPool>]>([:])

    init(maxIdlePerInstance: Int = 256, connectTimeout: TimeAmount = .seconds(1)) {
        self.maxIdlePerInstance = maxIdlePerInstance
        self.connectTimeout = connectTimeout
    }

    /// The pool of `loop`, made on first use; to be used on `loop` only.
    func pool(on loop: any EventLoop) -> LoopConnectionPool {
        pools.withLock { pools in
            if let pool = pools[ObjectIdentifier(loop)] { return pool.value }
            let pool = LoopConnectionPool(loop: loop, maxIdlePerInstance: maxIdlePerInstance, connectTimeout: connectTimeout)
            pools[ObjectIdentifier(loop)] = NIOLoopBound(pool, eventLoop: loop)
            return pool
        }
    }

    /// Waits for graceful shutdown, then closes every idle connection (those in use close when
    /// their request has finished, since the server takes no more).
    func run() async throws {
        try? await gracefulShutdown()
        for pool in pools.withLock({ Array($0.values) }) {
            try? await pool.eventLoop.submit { pool.value.closeIdle() }.get()
        }
    }
}

/// One event loop's connections to each upstream instance. Not thread-safe: everything it does
/// happens on its loop.
final class LoopConnectionPool {
    private struct Target {
        let host: String
        let port: Int
        var idle: [UpstreamConnection] = []
    }

    let loop: any EventLoop
    private let maxIdlePerInstance: Int
    private let connectTimeout: TimeAmount
    private var targets: [String: Target] = [:]
    private var closing = false

    init(loop: any EventLoop, maxIdlePerInstance: Int, connectTimeout: TimeAmount) {
        self.loop = loop
        self.maxIdlePerInstance = maxIdlePerInstance
        self.connectTimeout = connectTimeout
    }

    /// Hands `then` an idle connection to `baseURL` at once, or a new one once it is connected.
    func lease(_ baseURL: String, then: @escaping (Result<UpstreamConnection, any Error>) -> Void) {
        var target = targets[baseURL] ?? Self.target(of: baseURL)
        while let connection = target.idle.popLast() {
            if connection.isUsable {
                targets[baseURL] = target
                then(.success(connection))
                return
            }
        }
        targets[baseURL] = target
        ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamChannelHandler())
                }
            }
            .connect(host: target.host, port: target.port)
            .assumeIsolated()
            .whenComplete { result in
                then(
                    result.flatMap { channel in
                        Result {
                            UpstreamConnection(
                                channel: channel, handler: try channel.pipeline.syncOperations.handler(type: UpstreamChannelHandler.self))
                        }
                    })
            }
    }

    /// Takes back a connection whose response has ended and that may carry another request.
    func release(_ connection: UpstreamConnection, to baseURL: String) {
        guard !closing, connection.isUsable, var target = targets[baseURL], target.idle.count < maxIdlePerInstance else {
            connection.channel.close(promise: nil)
            return
        }
        target.idle.append(connection)
        targets[baseURL] = target
    }

    /// Closes the idle connections and every one given back from now on.
    func closeIdle() {
        closing = true
        for target in targets.values {
            for connection in target.idle { connection.channel.close(promise: nil) }
        }
        targets.removeAll()
    }

    /// The host and port of a base URL (`http://127.0.0.1:8082`).
    private static func target(of baseURL: String) -> Target {
        let (host, port) = ClientSpanAttributes.authority(of: baseURL)
        return Target(host: host, port: port)
    }
}
