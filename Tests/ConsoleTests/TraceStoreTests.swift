import Foundation
import Testing

@testable import Console

/// What the console makes of the OTLP exports it receives: the decoded spans, a malformed body
/// refused with where it went wrong, the traces found by order, request, user and status, the
/// memory bound, and one trace's waterfall with its hops through the broker.
@Suite struct TraceStoreTests {
    static let trace = String(repeating: "ab", count: 16)

    /// An export of `spans` from `component`, encoded field by field as opentelemetry-proto says.
    static func export(component: String, instance: String, spans: [[UInt8]]) -> [UInt8] {
        var resource = ProtobufWriter()
        resource.message(1, keyValue("service.name", string: component))
        resource.message(1, keyValue("service.instance.id", string: instance))
        var scope = ProtobufWriter()
        for span in spans { scope.bytes(2, span) }
        var resourceSpans = ProtobufWriter()
        // The spans before the resource: a decoder must not depend on the order.
        resourceSpans.message(2, scope)
        resourceSpans.message(1, resource)
        var request = ProtobufWriter()
        request.message(1, resourceSpans)
        return request.output
    }

    static func keyValue(_ key: String, string value: String) -> ProtobufWriter {
        var any = ProtobufWriter()
        any.string(1, value)
        var pair = ProtobufWriter()
        pair.string(1, key)
        pair.message(2, any)
        return pair
    }

    static func keyValue(_ key: String, int value: Int64) -> ProtobufWriter {
        var any = ProtobufWriter()
        any.varint(3, UInt64(bitPattern: value))
        var pair = ProtobufWriter()
        pair.string(1, key)
        pair.message(2, any)
        return pair
    }

    static func span(
        trace: String = trace, id: String, parent: String? = nil, name: String, kind: UInt64, start: UInt64, end: UInt64,
        failed: Bool = false, attributes: [ProtobufWriter] = []
    ) -> [UInt8] {
        var span = ProtobufWriter()
        span.bytes(1, hexBytes(trace))
        span.bytes(2, hexBytes(id))
        if let parent { span.bytes(4, hexBytes(parent)) }
        span.string(5, name)
        span.varint(6, kind)
        span.fixed64(7, start)
        span.fixed64(8, end)
        for attribute in attributes { span.message(9, attribute) }
        if failed {
            var status = ProtobufWriter()
            status.string(2, "payment gateway answered 503")
            status.varint(3, 2)
            span.message(15, status)
        }
        return span.output
    }

    static func hexBytes(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    /// An order's creation: the gateway's request, the order's `create` of OrderCreated, and the
    /// product service's `process` of it, a millisecond apart each.
    static var checkout: [ReceivedSpan] {
        get throws {
            let second: UInt64 = 1_800_000_000_000_000_000
            let gateway = export(
                component: "gateway", instance: "gateway-1",
                spans: [
                    span(
                        id: "1111111111111111", name: "POST /api/v1/orders", kind: 2, start: second, end: second + 30_000_000,
                        attributes: [keyValue("emporium.request.id", string: "req-42"), keyValue("http.response.status_code", int: 201)])
                ])
            let order = export(
                component: "order", instance: "order-2",
                spans: [
                    span(
                        id: "2222222222222222", parent: "1111111111111111", name: "create OrderCreated", kind: 4, start: second + 5_000_000,
                        end: second + 6_000_000,
                        attributes: [
                            keyValue("emporium.order.id", string: "7D0C2A4E-0000-0000-0000-000000000001"),
                            keyValue("messaging.destination.name", string: "OrderCreated"),
                            keyValue("messaging.operation.type", string: "create"),
                        ])
                ])
            let product = export(
                component: "product", instance: "product-1",
                spans: [
                    span(
                        id: "3333333333333333", parent: "2222222222222222", name: "process OrderCreated", kind: 5, start: second + 40_000_000,
                        end: second + 50_000_000,
                        attributes: [
                            keyValue("messaging.destination.name", string: "OrderCreated"),
                            keyValue("messaging.consumer.group.name", string: "product.stock"),
                            keyValue("emporium.user.id", string: "user-9"),
                        ])
                ])
            return try OTLPTraceDecoder.spans(in: gateway) + OTLPTraceDecoder.spans(in: order) + OTLPTraceDecoder.spans(in: product)
        }
    }

    @Test func anExportIsDecodedSpanBySpan() throws {
        let spans = try Self.checkout
        #expect(spans.count == 3)
        let root = try #require(spans.first)
        #expect(root.traceID == Self.trace && root.spanID == "1111111111111111" && root.parentSpanID == nil)
        #expect(root.component == "gateway" && root.instance == "gateway-1" && root.kind == .server)
        #expect(root.attributes == ["emporium.request.id": "req-42", "http.response.status_code": "201"])
        #expect(root.durationMilliseconds == 30)
        #expect(spans[2].kind == .consumer && spans[2].parentSpanID == "2222222222222222")
    }

    @Test func aMalformedExportSaysWhereItWentWrong() throws {
        #expect(throws: ProtobufReader.Malformed.self) { try OTLPTraceDecoder.spans(in: [0x0a, 0xc8, 0x01, 0x0a]) }
        #expect(throws: ProtobufReader.Malformed.self) { try OTLPTraceDecoder.spans(in: [0x0b]) }  // wire type 3: a group
        let shortID = Self.export(
            component: "x", instance: "x", spans: [Self.span(trace: "abcd", id: "1111111111111111", name: "x", kind: 1, start: 1, end: 2)])
        #expect(throws: ProtobufReader.Malformed.self) { try OTLPTraceDecoder.spans(in: shortID) }
        #expect(try OTLPTraceDecoder.spans(in: []).isEmpty)
    }

    @Test func tracesAreFoundByOrderRequestUserAndStatus() throws {
        let store = TraceStore(maximumSpans: 100)
        store.add(try Self.checkout)
        let failedTrace = String(repeating: "cd", count: 16)
        store.add(
            try OTLPTraceDecoder.spans(
                in: Self.export(
                    component: "payment", instance: "payment-1",
                    spans: [
                        Self.span(trace: failedTrace, id: "4444444444444444", name: "POST /api/v1/payments", kind: 2, start: 5, end: 9, failed: true)
                    ])))
        func found(_ query: TraceQuery) -> [String] { store.recent(matching: query, limit: 10).map(\.traceID) }
        #expect(found(TraceQuery()) == [failedTrace, Self.trace], "the newest first")
        #expect(found(TraceQuery(orderID: "7d0c2a4e-0000-0000-0000-000000000001")) == [Self.trace])
        #expect(found(TraceQuery(requestID: "req-42")) == [Self.trace])
        #expect(found(TraceQuery(requestID: Self.trace.uppercased())) == [Self.trace], "a request named by its trace id")
        #expect(found(TraceQuery(userID: "user-9")) == [Self.trace])
        #expect(found(TraceQuery(status: .failed)) == [failedTrace])
        #expect(found(TraceQuery(status: .succeeded)) == [Self.trace])
        #expect(found(TraceQuery(orderID: "another")).isEmpty)
        let summary = try #require(store.recent(matching: TraceQuery(requestID: "req-42"), limit: 1).first)
        #expect(summary.rootName == "POST /api/v1/orders" && summary.components == ["gateway", "order", "product"] && summary.spanCount == 3)
    }

    @Test func theOldestTracesGoWholeWhenTheBoundIsPassed() throws {
        let store = TraceStore(maximumSpans: 4)
        store.add(try Self.checkout)
        for index in 0..<2 {
            let trace = String(format: "%032x", index + 1)
            store.add(
                try OTLPTraceDecoder.spans(
                    in: Self.export(
                        component: "user", instance: "u",
                        spans: [Self.span(trace: trace, id: "5555555555555555", name: "GET", kind: 2, start: 1, end: 2)])))
        }
        #expect(store.trace(id: Self.trace) == nil, "the checkout's three spans went together")
        #expect(store.spanCount == 2)
        #expect(store.recent(matching: TraceQuery(), limit: 10).count == 2)
    }

    @Test func theWaterfallNestsEachSpanUnderItsCauseAndMarksTheBroker() throws {
        let waterfall = TraceWaterfall(spans: try Self.checkout)
        #expect(waterfall.rows.map(\.spanID) == ["1111111111111111", "2222222222222222", "3333333333333333"])
        #expect(waterfall.rows.map(\.depth) == [0, 1, 2])
        #expect(waterfall.rows[0].asyncHop == nil)
        #expect(waterfall.rows[1].asyncHop == "queues OrderCreated in the outbox")
        #expect(waterfall.rows[2].asyncHop == "receives OrderCreated from the broker as product.stock")
        #expect(waterfall.rows[2].offsetPercent == "80.000%" && waterfall.rows[2].widthPercent == "20.000%")
        #expect(waterfall.rows[2].component == "product" && waterfall.rows[2].instance == "product-1" && waterfall.rows[2].duration == "10 ms")
    }
}

/// Writes protocol buffers' wire format, for the tests' own exports.
struct ProtobufWriter {
    var output: [UInt8] = []

    mutating func key(_ field: Int, _ type: UInt64) { varint(UInt64(field) << 3 | type) }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    mutating func varint(_ field: Int, _ value: UInt64) {
        key(field, 0)
        varint(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        key(field, 1)
        for shift in stride(from: 0, to: 64, by: 8) { output.append(UInt8((value >> UInt64(shift)) & 0xff)) }
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        output += value
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ value: ProtobufWriter) { bytes(field, value.output) }
}
