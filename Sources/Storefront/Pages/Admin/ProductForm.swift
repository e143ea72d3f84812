import EmporiumClient
import EmporiumCore
import Foundation

/// A product as the back office's form holds it: what was typed, and beside each field the
/// API's refusal. The form reads only what it must turn into numbers (the price in euros, the
/// stock); the catalog's rules are the API's to apply.
struct ProductForm: Sendable {
    private(set) var fields: [FormField]

    /// The form's fields, in the order the product page shows them; the SKU only for a new product.
    static func layout(isNew: Bool) -> [(name: String, label: String, hint: String?, multiline: Bool)] {
        (isNew ? [("sku", "SKU", "Capitals, digits and dashes, such as KIT-007. It cannot be changed later.", false)] : [])
            + [
                ("name", "Name", nil, false),
                ("description", "Description", nil, true),
                ("category", "Category", "Lower case, such as kitchen or garden.", false),
                ("price", "Price in euros", "Such as 12.50.", false),
                ("stock", "Units in stock", nil, false),
            ]
    }

    /// A form filled from `values` (a submitted form's fields by name).
    init(isNew: Bool, values: (String) -> String?) {
        fields = Self.layout(isNew: isNew).map {
            FormField(
                name: $0.name, label: $0.label, value: values($0.name) ?? "", autocomplete: "off", isRequired: true, hint: $0.hint,
                multiline: $0.multiline, form: "product")
        }
    }

    /// The form filled with `product`, to edit it.
    init(_ product: AdminAPI.Product) {
        let values = [
            "name": product.name, "description": product.description, "category": product.category,
            "price": MoneyText.plain(product.price.amount), "stock": "\(product.stock)",
        ]
        self.init(isNew: false) { values[$0] }
    }

    /// The value of field `name`, trimmed.
    subscript(_ name: String) -> String { fields.first { $0.name == name }?.value.trimmingWhitespace ?? "" }

    /// Whether any field has an error.
    var hasErrors: Bool { fields.contains { $0.error != nil } }

    /// The price in cents and the stock, or nil with the unreadable ones marked.
    mutating func numbers() -> (price: Int, stock: Int)? {
        let price = MoneyText.minorUnits(of: self["price"], currency: "EUR")
        let stock = Int(self["stock"])
        if price == nil { mark("price", "Write the price in euros with at most two decimals, such as 12.50.") }
        if stock == nil { mark("stock", "Write the stock as a whole number of units, such as 12.") }
        guard let price, let stock else { return nil }
        return (price, stock)
    }

    /// The new product to create, or nil when a number cannot be read.
    mutating func newProduct() -> AdminAPI.NewProduct? {
        guard let (price, stock) = numbers() else { return nil }
        return AdminAPI.NewProduct(
            sku: self["sku"], name: self["name"], description: self["description"], category: self["category"],
            price: .init(amount: price, currency: .eur), stock: stock)
    }

    /// The changes to save, or nil when a number cannot be read.
    mutating func changes() -> AdminAPI.ProductChanges? {
        guard let (price, stock) = numbers() else { return nil }
        return AdminAPI.ProductChanges(
            name: self["name"], description: self["description"], category: self["category"], price: .init(amount: price, currency: .eur),
            stock: stock)
    }

    /// Puts `problem` beside the field it names (`price.amount` is the price's); false when it
    /// names none of this form's fields.
    mutating func accept(_ problem: APIProblem) -> Bool {
        guard let field = problem.field?.split(separator: ".").first.map(String.init), fields.contains(where: { $0.name == field }) else {
            return false
        }
        mark(field, problem.detail)
        return true
    }

    private mutating func mark(_ name: String, _ error: String) {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return }
        fields[index].error = error
    }
}
