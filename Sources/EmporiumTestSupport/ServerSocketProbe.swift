import NIOCore
import NIOPosix

/// Finds a free loopback port, for a server a test starts after something that must already know
/// its address (a gateway in front of an instance that is down at first).
public enum ServerSocketProbe {
    /// Binds port 0 on 127.0.0.1, reads the port the system chose, and closes the socket again.
    public static func bindEphemeral() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw ChannelError.unknownLocalAddress }
        return port
    }
}
