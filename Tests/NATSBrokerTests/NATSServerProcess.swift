#if NATS
    import EmporiumTestSupport
    import Foundation

    /// A real nats-server with JetStream on 127.0.0.1 and a temporary store, started by the test that
    /// needs it. A missing binary fails the test: `scripts/test` installs it.
    ///
    /// The server runs under a small shell that stops it when its stdin closes: when the test ends,
    /// or when the test process crashes (the kernel closes the pipe), so a crash never leaves an
    /// orphaned server — nor one holding the test runner's output open, which made `swift test` hang.
    ///
    /// `@unchecked Sendable`: it wraps a `Process`, and each instance is driven by one test task.
    final class NATSServerProcess: @unchecked Sendable {
        let storeDirectory: URL
        private(set) var port: Int
        private var process: Process?
        private var lifeline: Pipe?

        var url: String { "nats://127.0.0.1:\(port)" }

        struct Unavailable: Error, CustomStringConvertible {
            let description: String
        }

        /// Starts a server on a free port.
        static func start() throws -> NATSServerProcess {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nats-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let server = NATSServerProcess(storeDirectory: directory)
            try server.launch(port: -1)
            return server
        }

        private init(storeDirectory: URL) {
            self.storeDirectory = storeDirectory
            self.port = 0
        }

        /// The nats-server binary: `EMPORIUM_NATS_SERVER`, or the first on the PATH.
        static func binary() throws -> String {
            if let configured = ProcessInfo.processInfo.environment["EMPORIUM_NATS_SERVER"] { return configured }
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin"
            for directory in path.split(separator: ":") + ["/usr/sbin", "/usr/bin"] {
                let candidate = "\(directory)/nats-server"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            throw Unavailable(description: "nats-server is not installed; scripts/test installs it with apt-get")
        }

        private func launch(port: Int) throws {
            let log = storeDirectory.appendingPathComponent("server-\(UUID().uuidString).log")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let serverArguments = ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDirectory.path, "-l", log.path]
            process.arguments = ["-c", #""$0" "$@" & server=$!; cat >/dev/null; kill $server; wait $server"#, try Self.binary()] + serverArguments
            let lifeline = Pipe()
            process.standardInput = lifeline
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try ProcessLaunch.run(process)
            self.process = process
            self.lifeline = lifeline
            // Ready when the log names the client port.
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if text.contains("Server is ready"),
                    let range = text.range(of: #"Listening for client connections on 127\.0\.0\.1:(\d+)"#, options: .regularExpression)
                {
                    self.port = Int(text[range].split(separator: ":").last!)!
                    return
                }
                guard process.isRunning else { break }
                Thread.sleep(forTimeInterval: 0.02)
            }
            stopProcess()
            throw Unavailable(description: "nats-server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
        }

        /// Stops the server (it keeps its store) and starts it again on the same port.
        func restart(after pause: Duration = .zero) throws {
            stopProcess()
            if pause > .zero { Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18) }
            try launch(port: port)
        }

        /// Stops the server; it keeps its store and port for ``startAgain()``.
        func stopForAWhile() {
            stopProcess()
        }

        /// Starts the stopped server again on the same port, with its store.
        func startAgain() throws {
            try launch(port: port)
        }

        /// Closes the lifeline: the shell stops the server (SIGTERM) and waits for it.
        private func stopProcess() {
            guard let process, process.isRunning else { return }
            try? lifeline?.fileHandleForWriting.close()
            lifeline = nil
            process.waitUntilExit()
        }

        /// Stops the server and removes its store.
        func stop() {
            stopProcess()
            try? FileManager.default.removeItem(at: storeDirectory)
        }
    }
#endif
