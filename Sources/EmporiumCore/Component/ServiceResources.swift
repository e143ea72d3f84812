/// What a database-owning service's handlers and background duties work with.
public struct ServiceResources: Sendable {
    /// The service's own database.
    public let database: ServiceDatabase
    /// Where its events go, inside its transactions.
    public let outbox: Outbox
    /// Its client for calls to other components.
    public let client: OutboundHTTPClient

    /// Bundles a service's database, outbox and client.
    public init(database: ServiceDatabase, outbox: Outbox, client: OutboundHTTPClient) {
        self.database = database
        self.outbox = outbox
        self.client = client
    }
}
