public import Logging

/// swift-log's `StreamLogHandler` output, with a logger's metadata rendered when a line is
/// written instead of every time the metadata changes.
///
/// `StreamLogHandler` renders all of its metadata into a string on every change. Each request
/// changes it at least twice (Hummingbird's request id, then ``RequestMetadataMiddleware``'s keys)
/// and most requests write no line at all, so that work was thrown away (ADR 22 has the
/// figure). Here a change only stores the value; the line's format is unchanged, because
/// `StreamLogHandler` still writes it.
public struct DeferredRenderingLogHandler: LogHandler {
    private var writer: StreamLogHandler

    /// The logger's metadata, kept as given until a line is written.
    public var metadata: Logger.Metadata = [:]

    /// Writes to standard error, as `StreamLogHandler.standardError` does.
    public init(label: String, level: Logger.Level) {
        writer = StreamLogHandler.standardError(label: label)
        writer.logLevel = level
    }

    /// Writes to `stream` (tests read the lines back).
    init(label: String, level: Logger.Level, stream: any TextOutputStream & Sendable) {
        writer = StreamLogHandler(label: label, stream: stream, metadataProvider: nil)
        writer.logLevel = level
    }

    public var logLevel: Logger.Level {
        get { writer.logLevel }
        set { writer.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { writer.metadataProvider }
        set { writer.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = writer
        line.metadata = metadata  // rendered here, once per line written
        line.log(event: event)
    }
}
