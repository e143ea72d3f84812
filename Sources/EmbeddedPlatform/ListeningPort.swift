import Synchronization

/// A port a component reports once it listens, read by another that was made before it.
public final class ListeningPort: Sendable {
    private let port = Mutex<Int?>(nil)

    /// Creates a port not known yet.
    public init() {}

    /// The port, once reported.
    public var value: Int? { port.withLock { $0 } }

    /// Records the port.
    public func record(_ value: Int) {
        port.withLock { $0 = value }
    }
}
