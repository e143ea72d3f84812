public import Foundation
public import Hummingbird

extension Parameters {
    /// The path parameter `name` as a UUID.
    /// - Parameter what: What the id names (`product`), for the problem's sentence.
    /// - Throws: A 400 problem naming the parameter when it is not a UUID.
    public func requireUUID(_ name: String, naming what: String) throws -> UUID {
        let text = try require(name)
        guard let id = UUID(uuidString: text) else {
            throw Problem(.invalidParameter, detail: "The \(what) id must be a UUID, got \"\(text)\".", field: name)
        }
        return id
    }
}
