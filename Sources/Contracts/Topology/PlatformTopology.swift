/// How the platform's parts talk, as the seed's diagram draws it: who calls whom over HTTP, and
/// which service publishes each event type to which consumer groups. The console draws this graph
/// and fills it with the traffic it measures; a call or event the metrics show that is not here is
/// drawn too, so the two cannot silently drift apart.
public enum PlatformTopology {
    /// A point of the diagram: a component, the clients in front of the gateway, or the broker.
    public enum Node: Hashable, Sendable, Codable, CustomStringConvertible {
        /// Browsers, apps and scripts: whoever calls the gateway.
        case clients
        /// The message broker (the embedded one, or NATS JetStream).
        case broker
        /// A component.
        case component(Component)

        /// Its id in the console's graph (`clients`, `broker`, `order`, `payment-gateway`).
        public var description: String {
            switch self {
            case .clients: "clients"
            case .broker: "broker"
            case .component(let component): component.rawValue
            }
        }
    }

    /// A synchronous call from one part to another.
    public struct Call: Hashable, Sendable {
        /// The caller.
        public let from: Node
        /// What is called (the `peer` of the caller's `emporium_http_client_requests_total`).
        public let to: Component

        init(_ from: Node, _ to: Component) {
            self.from = from
            self.to = to
        }
    }

    /// The synchronous calls, blue in the seed: clients to the gateway, the gateway to each
    /// service, the web components and the identity provider's public endpoints, services to each
    /// other and to the external systems. Every component that checks tokens also reads the
    /// provider's discovery document and keys (the first request after a start or a key rotation),
    /// the User Service manages accounts there, the Payment Service gets its service token there,
    /// and the web components redeem their sign-ins there.
    public static let calls: [Call] =
        [Call(.clients, .gateway)]
        + [Component.user, .product, .order, .payment, .notification, .storefront, .console, .idp].map { Call(.component(.gateway), $0) }
        + [
            Call(.component(.order), .product),
            Call(.component(.order), .shipping),
            Call(.component(.payment), .order),
            Call(.component(.payment), .paymentGateway),
            Call(.component(.notification), .email),
        ]
        + [Component.user, .product, .order, .payment, .notification, .storefront, .console].map { Call(.component($0), .idp) }

    /// A consumer group: its name (the `consumer` label of its metrics) and its service.
    public struct ConsumerGroup: Hashable, Sendable {
        /// The group's name (`product.stock`).
        public let name: String
        /// The service it runs in.
        public let service: Component

        init(_ name: String, of service: Component) {
            self.name = name
            self.service = service
        }
    }

    /// An event type with its publisher and consumer groups: orange and dashed in the seed, from
    /// the publisher through the broker to each consumer.
    public struct EventRoute: Hashable, Sendable {
        /// The CloudEvents type (`emporium.order.created.v1`).
        public let type: String
        /// The service whose outbox publishes it.
        public let publisher: Component
        /// The groups that consume it.
        public let consumers: [ConsumerGroup]
    }

    /// The consumer groups, by service.
    public static let stockReservations = ConsumerGroup("product.stock", of: .product)
    /// The Product Service's co-purchase counts (bought together).
    public static let recommendations = ConsumerGroup("product.recommendations", of: .product)
    /// The Order Service's saga: reservations and payments move orders on.
    public static let orderSaga = ConsumerGroup("order.saga", of: .order)
    /// The Payment Service's refunds of cancelled orders.
    public static let refunds = ConsumerGroup("payment.refunds", of: .payment)
    /// The Notification Service's emails.
    public static let notifications = ConsumerGroup("notification.events", of: .notification)

    /// Every event type the platform publishes, with who consumes it.
    public static let events: [EventRoute] = [
        EventRoute(type: UserRegistered.eventType, publisher: .user, consumers: [notifications]),
        EventRoute(type: ProductUpdated.eventType, publisher: .product, consumers: []),
        EventRoute(type: OrderCreated.eventType, publisher: .order, consumers: [stockReservations, recommendations, notifications]),
        EventRoute(type: StockReserved.eventType, publisher: .product, consumers: [orderSaga]),
        EventRoute(type: StockRejected.eventType, publisher: .product, consumers: [orderSaga]),
        EventRoute(type: PaymentProcessed.eventType, publisher: .payment, consumers: [orderSaga, notifications]),
        EventRoute(type: OrderShipped.eventType, publisher: .order, consumers: [notifications]),
        EventRoute(type: OrderCancelled.eventType, publisher: .order, consumers: [stockReservations, refunds, notifications]),
        EventRoute(type: PaymentRefunded.eventType, publisher: .payment, consumers: [notifications]),
    ]

    /// The event types `group` consumes, in ``events``' order.
    public static func eventTypes(consumedBy group: ConsumerGroup) -> [String] {
        events.filter { $0.consumers.contains(group) }.map(\.type)
    }

    /// The event's short name (`OrderCreated` for `emporium.order.created.v1`), as the seed names events.
    public static func shortName(of type: String) -> String {
        let parts = type.split(separator: ".")
        guard parts.count >= 3 else { return type }
        let words = (parts[1] + "-" + parts[2]).split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let name = words.joined()
        // `ProductStockReserved` reads better as the seed would name it.
        return name.hasPrefix("ProductStock") ? String(name.dropFirst("Product".count)) : name
    }
}
