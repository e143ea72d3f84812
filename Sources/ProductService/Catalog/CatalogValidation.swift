import Contracts
import EmporiumCore

/// The rules of catalog input; each failure is a 400 problem naming the field.
enum CatalogValidation {
    /// The shop's one currency; prices in any other are refused.
    static let currency = "EUR"
    /// The highest price, in minor units (one million euros).
    static let maxPrice = 100_000_000
    /// The most units of one product.
    static let maxStock = 1_000_000

    static func isSlug(_ text: String) -> Bool {
        (1...40).contains(text.unicodeScalars.count)
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func sku(_ sku: String) throws -> String {
        let valid =
            (3...32).contains(sku.unicodeScalars.count)
            && sku.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard valid else {
            throw Problem(.invalidField, detail: "The SKU must be 3 to 32 of A–Z, 0–9 and '-', got \"\(sku)\".", field: "sku")
        }
        return sku
    }

    static func text(_ value: String, field: String, max: Int) throws -> String {
        try InputText.required(value, field: field, subject: field, max: max)
    }

    static func category(_ category: String) throws -> String {
        guard isSlug(category) else {
            throw Problem(.invalidField, detail: "The category must be a slug of a–z, 0–9 and '-', got \"\(category)\".", field: "category")
        }
        return category
    }

    static func price(_ price: Money) throws -> Money {
        guard price.currency == currency else {
            throw Problem(.invalidField, detail: "Prices are in \(currency), not \(price.currency).", field: "price.currency")
        }
        guard (1...maxPrice).contains(price.amount) else {
            throw Problem(.invalidField, detail: "The price must be from 1 to \(maxPrice) cents, got \(price.amount).", field: "price.amount")
        }
        return price
    }

    static func stock(_ stock: Int) throws -> Int {
        guard (0...maxStock).contains(stock) else {
            throw Problem(.invalidField, detail: "The stock must be from 0 to \(maxStock), got \(stock).", field: "stock")
        }
        return stock
    }
}
