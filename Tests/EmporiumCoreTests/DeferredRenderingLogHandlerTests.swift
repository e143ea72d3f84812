import Logging
import Synchronization
import Testing

@testable import EmporiumCore

/// The lines the platform's log handler writes.
@Suite(.timeLimit(.minutes(2))) struct DeferredRenderingLogHandlerTests {
    /// Collects what is written, line by line.
    final class Lines: TextOutputStream, Sendable {
        let written = Mutex("")
        func write(_ string: String) { written.withLock { $0 += string } }
        var all: [Substring] { written.withLock { $0.split(separator: "\n") } }
    }

    @Test func aLineCarriesTheMetadataSetBeforeItInStreamLogHandlersFormat() throws {
        let lines = Lines()
        var logger = Logger(label: "gateway") { label in DeferredRenderingLogHandler(label: label, level: .info, stream: lines) }
        logger[metadataKey: "request-id"] = "r1"
        logger[metadataKey: "trace-id"] = "t1"
        logger.info("Forwarded", metadata: ["upstream": "product"])
        logger[metadataKey: "request-id"] = "r2"
        logger.notice("Second")

        let written = lines.all
        try #require(written.count == 2)
        #expect(written[0].hasSuffix(" info gateway: request-id=r1 trace-id=t1 upstream=product [EmporiumCoreTests] Forwarded"))
        #expect(written[1].hasSuffix(" notice gateway: request-id=r2 trace-id=t1 [EmporiumCoreTests] Second"))
    }

    @Test func linesBelowTheLevelAreNotWritten() {
        let lines = Lines()
        var logger = Logger(label: "order") { label in DeferredRenderingLogHandler(label: label, level: .notice, stream: lines) }
        logger[metadataKey: "request-id"] = "r1"
        logger.info("Not written")
        logger.debug("Not written either")
        #expect(lines.all.isEmpty)
        #expect(logger.logLevel == .notice)
    }
}
