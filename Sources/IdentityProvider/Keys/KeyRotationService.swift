import Logging
import ServiceLifecycle

/// Rotates the signing keys on a fixed interval, beside the server.
struct KeyRotationService: Service {
    let keyring: SigningKeyring
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while true {
            // Until the next rotation, or graceful shutdown, whichever is first.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
            do {
                let (active, next) = try await keyring.rotate()
                logger.notice("Signing keys rotated", metadata: ["active": "\(active)", "next": "\(next)"])
            } catch {
                logger.error("Rotating the signing keys failed; the current keys stay in use", metadata: ["error": "\(error)"])
            }
        }
    }
}
