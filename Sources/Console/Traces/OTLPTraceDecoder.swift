/// Decodes an OTLP `ExportTraceServiceRequest` in protocol buffers (what `POST /v1/traces`
/// carries with `Content-Type: application/x-protobuf`) into ``ReceivedSpan``s.
///
/// Field numbers are those of opentelemetry-proto's `trace/v1/trace.proto`,
/// `common/v1/common.proto` and `resource/v1/resource.proto`; fields the console does not show
/// (events, links, dropped counts, schema URLs, flags) are skipped.
enum OTLPTraceDecoder {
    /// The spans of one export.
    /// - Throws: ``ProtobufReader/Malformed`` for a body that is not such a message, or a span
    ///   whose ids are not 16 and 8 bytes.
    static func spans(in body: [UInt8]) throws -> [ReceivedSpan] {
        var reader = ProtobufReader(body)
        var spans: [ReceivedSpan] = []
        while let field = try reader.nextField() {
            if field.number == 1, field.type == .lengthDelimited {
                var resourceSpans = try reader.message()
                try decodeResourceSpans(&resourceSpans, into: &spans)
            } else {
                try reader.skip(field.type)
            }
        }
        return spans
    }

    private static func decodeResourceSpans(_ reader: inout ProtobufReader, into spans: inout [ReceivedSpan]) throws {
        var resource: [String: String] = [:]
        var scopes: [ProtobufReader] = []
        while let field = try reader.nextField() {
            switch (field.number, field.type) {
            case (1, .lengthDelimited):
                var message = try reader.message()
                while let inner = try message.nextField() {
                    if inner.number == 1, inner.type == .lengthDelimited {
                        var pair = try message.message()
                        let (key, value) = try keyValue(&pair)
                        resource[key] = value
                    } else {
                        try message.skip(inner.type)
                    }
                }
            case (2, .lengthDelimited): scopes.append(try reader.message())
            default: try reader.skip(field.type)
            }
        }
        // The resource may come after its spans on the wire: each span is named once both are read.
        let component = resource["service.name"] ?? "unknown"
        for var scope in scopes {
            while let field = try scope.nextField() {
                if field.number == 2, field.type == .lengthDelimited {
                    var span = try scope.message()
                    spans.append(try decodeSpan(&span, component: component, instance: resource["service.instance.id"]))
                } else {
                    try scope.skip(field.type)
                }
            }
        }
    }

    private static func decodeSpan(_ reader: inout ProtobufReader, component: String, instance: String?) throws -> ReceivedSpan {
        var span = ReceivedSpan(
            traceID: "", spanID: "", parentSpanID: nil, name: "", kind: .unspecified, startNanoseconds: 0, endNanoseconds: 0,
            status: .unset, statusMessage: nil, attributes: [:], component: component, instance: instance)
        while let field = try reader.nextField() {
            switch (field.number, field.type) {
            case (1, .lengthDelimited): span.traceID = try identifier(reader.bytesField(), bytes: 16, of: "trace")
            case (2, .lengthDelimited): span.spanID = try identifier(reader.bytesField(), bytes: 8, of: "span")
            case (4, .lengthDelimited):
                let parent = try reader.bytesField()
                span.parentSpanID = parent.isEmpty ? nil : try identifier(parent, bytes: 8, of: "parent span")
            case (5, .lengthDelimited): span.name = try reader.string()
            case (6, .varint): span.kind = ReceivedSpan.Kind(code: try reader.varint())
            case (7, .fixed64): span.startNanoseconds = try reader.fixed64()
            case (8, .fixed64): span.endNanoseconds = try reader.fixed64()
            case (9, .lengthDelimited):
                var pair = try reader.message()
                let (key, value) = try keyValue(&pair)
                span.attributes[key] = value
            case (15, .lengthDelimited):
                var status = try reader.message()
                while let inner = try status.nextField() {
                    switch (inner.number, inner.type) {
                    case (2, .lengthDelimited): span.statusMessage = try status.string()
                    case (3, .varint): span.status = ReceivedSpan.Status(code: try status.varint())
                    default: try status.skip(inner.type)
                    }
                }
            default: try reader.skip(field.type)
            }
        }
        guard !span.traceID.isEmpty, !span.spanID.isEmpty else {
            throw ProtobufReader.Malformed(description: "a span has no trace id or span id")
        }
        return span
    }

    /// A `KeyValue`: its key and its value as text.
    private static func keyValue(_ reader: inout ProtobufReader, depth: Int = 0) throws -> (String, String) {
        var key = ""
        var value = ""
        while let field = try reader.nextField() {
            switch (field.number, field.type) {
            case (1, .lengthDelimited): key = try reader.string()
            case (2, .lengthDelimited):
                var any = try reader.message()
                value = try anyValue(&any, depth: depth)
            default: try reader.skip(field.type)
            }
        }
        return (key, value)
    }

    /// An `AnyValue` as text: arrays joined with commas, lists of pairs as `key=value`.
    private static func anyValue(_ reader: inout ProtobufReader, depth: Int) throws -> String {
        // Nesting is bounded, so that a hostile body cannot exhaust the stack.
        guard depth < maximumNesting else { throw ProtobufReader.Malformed(description: "values nest deeper than \(maximumNesting)") }
        var text = ""
        while let field = try reader.nextField() {
            switch (field.number, field.type) {
            case (1, .lengthDelimited): text = try reader.string()
            case (2, .varint): text = try reader.varint() == 0 ? "false" : "true"
            case (3, .varint): text = String(Int64(bitPattern: try reader.varint()))
            case (4, .fixed64): text = String(Double(bitPattern: try reader.fixed64()))
            case (5, .lengthDelimited):
                var array = try reader.message()
                var items: [String] = []
                while let inner = try array.nextField() {
                    if inner.number == 1, inner.type == .lengthDelimited {
                        var item = try array.message()
                        items.append(try anyValue(&item, depth: depth + 1))
                    } else {
                        try array.skip(inner.type)
                    }
                }
                text = items.joined(separator: ", ")
            case (6, .lengthDelimited):
                var list = try reader.message()
                var pairs: [String] = []
                while let inner = try list.nextField() {
                    if inner.number == 1, inner.type == .lengthDelimited {
                        var pair = try list.message()
                        let (key, value) = try keyValue(&pair, depth: depth + 1)
                        pairs.append("\(key)=\(value)")
                    } else {
                        try list.skip(inner.type)
                    }
                }
                text = pairs.joined(separator: ", ")
            case (7, .lengthDelimited): text = hex(try reader.bytesField())
            default: try reader.skip(field.type)
            }
        }
        return text
    }

    /// How deep arrays and lists of pairs may nest in an attribute's value.
    static let maximumNesting = 8

    private static func identifier(_ bytes: ArraySlice<UInt8>, bytes count: Int, of what: String) throws -> String {
        guard bytes.count == count else {
            throw ProtobufReader.Malformed(description: "a \(what) id has \(bytes.count) bytes, not \(count)")
        }
        return hex(bytes)
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
