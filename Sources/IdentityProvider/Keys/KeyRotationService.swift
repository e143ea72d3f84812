import EmporiumCore
import Logging
import ServiceLifecycle

/// Rotates the signing keys on a fixed interval, beside the server; the first rotation comes one
/// interval after start.
struct KeyRotationService: Service {
    let keyring: SigningKeyring
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var due = false
        await BackgroundLoop(name: "Key rotation", logger: logger).run {
            if due {
                do {
                    let (active, next) = try await keyring.rotate()
                    logger.notice("Signing keys rotated", metadata: ["active": "\(active)", "next": "\(next)"])
                } catch {
                    // Not a failure of the loop: the next rotation comes at its usual time.
                    logger.error("Rotating the signing keys failed; the current keys stay in use", metadata: ["error": "\(error)"])
                }
            }
            due = true
            return .sleep(interval)
        }
    }
}
