import Foundation

/// A script run beside a test — an implementation no one here wrote (aiosmtpd, jwcrypto) that the
/// test talks to. Its first line of output is a JSON announcement (where it listens, what it
/// made); it stops when its standard input closes. A script that cannot start is a failure, never a skip.
public enum HelperScript {
    /// Runs `python3 <script> <arguments…>` while `body` runs with its announcement.
    /// - Parameters:
    ///   - script: The script's path.
    ///   - arguments: Its arguments.
    ///   - announcement: The type of its first line.
    ///   - installHint: What to install if it fails to start (`pip install aiosmtpd`).
    public static func run<Announcement: Decodable>(
        python script: String,
        arguments: [String] = [],
        announcing announcement: Announcement.Type,
        installHint: String,
        _ body: (Announcement) async throws -> Void
    ) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe()
        let input = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = errors
        try ProcessLaunch.run(process)
        // Reads and the wait for exit block, so they run off the cooperative pool.
        let line = await offPool {
            var data = Data()
            while let byte = try? output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { data.append(byte) }
            return data
        }
        let stop = {
            try? input.fileHandleForWriting.close()
            await offPool { process.waitUntilExit() }
        }
        guard let announced = try? JSONDecoder().decode(Announcement.self, from: line) else {
            await stop()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw HelperScriptFailed(description: "\(URL(fileURLWithPath: script).lastPathComponent) did not start (\(installHint)): \(stderr)")
        }
        do {
            try await body(announced)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    private static func offPool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

/// A helper script could not be started.
public struct HelperScriptFailed: Error, CustomStringConvertible {
    /// What went wrong, with the script's standard error.
    public let description: String
}
