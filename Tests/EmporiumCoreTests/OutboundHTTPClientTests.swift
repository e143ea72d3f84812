import Logging
import Testing

@testable import EmporiumCore

/// What `OutboundHTTPClient` hands to AsyncHTTPClient.
@Suite(.timeLimit(.minutes(2))) struct OutboundHTTPClientTests {
    func logger(at level: Logger.Level) -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = level
        return logger
    }

    /// AsyncHTTPClient writes only debug and trace lines: a caller that logs them gets them, with
    /// its own metadata; any other caller's logger is not handed over (and not re-rendered per call).
    @Test func theCallersLoggerReachesAsyncHTTPClientOnlyWhenItLogsDebugLines() {
        #expect(OutboundHTTPClient.clientLogger(logger(at: .trace))?.logLevel == .trace)
        #expect(OutboundHTTPClient.clientLogger(logger(at: .debug))?.logLevel == .debug)
        #expect(OutboundHTTPClient.clientLogger(logger(at: .info)) == nil)
        #expect(OutboundHTTPClient.clientLogger(logger(at: .notice)) == nil)
        #expect(OutboundHTTPClient.clientLogger(nil) == nil)
    }
}
