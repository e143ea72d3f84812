import Tracing

/// The attributes of a span about an event, by OpenTelemetry's messaging conventions.
enum MessagingSpanAttributes {
    /// Names the operation (`create`, `send`, `process`), the event's type (its destination), id
    /// and subject, and the id of what it concerns (``SpanSubject``).
    static func describe(
        _ span: some Span, operation: String, eventType: String, eventID: String, subject: String?, consumerGroup: String? = nil
    ) {
        span.updateAttributes { attributes in
            attributes["messaging.system"] = "emporium"
            attributes["messaging.operation.type"] = operation
            attributes["messaging.destination.name"] = eventType
            attributes["messaging.message.id"] = eventID
            if let consumerGroup { attributes["messaging.consumer.group.name"] = consumerGroup }
            if let subject {
                attributes["emporium.event.subject"] = subject
                if let (key, id) = SpanSubject.attribute(collection: subject.split(separator: "/").first, id: subject.split(separator: "/").last) {
                    attributes[key] = id
                }
            }
        }
    }
}
