public import Foundation

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux crashed in CI
/// (a bad pointer in its `memcpy`, under `NATSServerProcess.launch`) while other tests were
/// launching processes of their own; serialising the launches takes that race away. Only the
/// launch is serialised: the children then run side by side.
public enum ProcessLaunch {
    private static let lock = NSLock()

    /// Runs `process`, after any other launch under way has finished.
    public static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
