import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded identity provider's port, kept across restarts in the data directory.
///
/// Every access token names its issuer, the provider's URL. A provider on a new random port after
/// a restart made every token issued before it invalid: customers logged out by a restart, and a
/// crash drill's load having to log in again. The first start records the port it got; later
/// starts ask for the same one, and take any free port only if another process holds it now
/// (tokens from before the restart are then refused, as before).
struct StableIssuerPort {
    /// Where the port is recorded (`<data-dir>/idp.port`).
    let file: URL

    /// The recorded port if it can be bound now, else 0 (any free port).
    func portToBind() -> Int {
        guard let text = try? String(contentsOf: file, encoding: .utf8),
            let port = text.split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }), (1...65_535).contains(port)
        else { return 0 }
        return Self.canBind(port) ? port : 0
    }

    /// Records the port the provider bound.
    func record(_ port: Int) {
        try? Data(String(port).utf8).write(to: file, options: .atomic)
    }

    /// Whether a listener could bind 127.0.0.1:`port` now, with `SO_REUSEADDR` as the server's
    /// own (so that connections a killed process left in TIME_WAIT do not count as holding it).
    static func canBind(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
