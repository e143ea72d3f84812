import EmporiumClient
import EmporiumCore
import Foundation

/// The storefront's way to the public API: the client generated from its contract, through the
/// gateway, like any other client of the shop. Error answers arrive as thrown ``APIProblem``s;
/// a gateway that cannot be reached (or an answer that cannot be read) as ``PageError/unavailable(cause:)``.
struct ShopAPI: Sendable {
    /// The product fields the storefront shows.
    typealias Product = Components.Schemas.Product
    /// One page of the catalog.
    typealias ProductPage = Components.Schemas.ProductPage
    /// The catalog's filters and order.
    typealias CatalogQuery = Operations.ListProducts.Input.Query

    let gateway: DependencyLocation

    /// A client acting for nobody in particular (the catalog is public).
    func anonymous() throws -> Client { try client(token: nil) }

    /// A client sending `token`, or none.
    func client(token: String?) throws -> Client {
        let base = try gateway.instance().baseURL
        guard let url = URL(string: base) else { throw PageError.unavailable(cause: "the gateway URL \(base) is not a URL") }
        return EmporiumAPI.client(gatewayURL: url, token: token, timeout: .seconds(10), middlewares: [ProblemsAsErrors()])
    }

    /// The API as the customer whose access token is `token`.
    func customer(_ token: String) -> CustomerAPI { CustomerAPI(shop: self, token: token) }

    /// The API as the admin whose access token is `token`.
    func admin(_ token: String) -> AdminAPI { AdminAPI(shop: self, token: token) }

    /// One page of the catalog.
    func catalog(_ query: CatalogQuery) async throws -> ProductPage {
        try await calling { try await anonymous().listProducts(query: query).ok.body.json }
    }

    /// The product `id`, or nil when the catalog has no such product.
    func product(_ id: String) async throws -> Product? {
        do {
            return try await calling { try await anonymous().getProduct(path: .init(id: id)).ok.body.json }
        } catch let problem as APIProblem where problem.status == 404 {
            return nil
        }
    }

    /// Every product of `ids` the catalog still has, fetched side by side.
    func products(_ ids: [String]) async throws -> [String: Product] {
        try await withThrowingTaskGroup(of: (String, Product?).self) { group in
            for id in Set(ids) { group.addTask { (id, try await product(id)) } }
            var found: [String: Product] = [:]
            for try await (id, product) in group { found[id] = product }
            return found
        }
    }

    /// The products most often ordered together with product `id`, most often first.
    func boughtTogether(with id: String, limit: Int) async throws -> [Product] {
        try await calling {
            try await anonymous().listBoughtTogether(path: .init(id: id), query: .init(limit: limit)).ok.body.json.items.map(\.product)
        }
    }

    /// Registers an account; the API's refusals (a taken address, a weak password) are thrown as
    /// ``APIProblem``s naming their field.
    func register(email: String, password: String, name: String) async throws -> CustomerAPI.Profile {
        try await calling {
            try await anonymous().registerUser(body: .json(.init(email: email, password: password, name: name))).created.body.json
        }
    }

    /// Runs a call, keeping the API's problems (a 401 asks the customer to sign in again) and
    /// turning a failure to reach it into ``PageError/unavailable``.
    func calling<Result: Sendable>(_ call: () async throws -> Result) async throws -> Result {
        do {
            return try await call()
        } catch {
            if let problem = error.apiProblem {
                if problem.status == 401 { throw PageError.signInRequired(returnTo: nil) }
                throw problem
            }
            if let page = error as? PageError { throw page }
            throw PageError.unavailable(cause: "\(error)")
        }
    }
}
