import EmporiumClient
import EmporiumCore

/// What every page's frame shows: the title, the header's search and cart count, and the token
/// of the page's forms.
struct PageChrome: Sendable {
    /// The page's title, before the shop's name.
    var title: String
    /// The CSRF token every form on the page carries.
    var formToken: String
    /// Units in the cart, for the header.
    var cartCount: Int
    /// What the header's search box shows.
    var search: String
    /// The cart link's accessible name: the count said in words, not only drawn.
    let cartLabel: String
    /// The signed-in customer's name, or nil for a visitor.
    let customerName: String?
    /// Whether the signed-in customer runs the shop.
    let isAdmin: Bool
    /// The header's sign-in link, which comes back to this page.
    let signInLink: String

    init(title: String, formToken: String, cartCount: Int, customer: SignedInCustomer? = nil, search: String = "", page: String = "/") {
        self.title = title
        self.formToken = formToken
        self.cartCount = cartCount
        self.search = search
        cartLabel = cartCount == 1 ? "Cart, 1 item" : "Cart, \(cartCount) items"
        customerName = customer?.displayName
        isAdmin = customer?.isAdmin ?? false
        signInLink = page == "/" ? "/session/signin" : "/session/signin?" + FormEncoding.encode(["return": page])
    }
}

/// A product as the catalog, its page and the cart show it: everything shown is worked out
/// here, once, and the template reads it by name (`TemplateValues.swift`).
struct ProductView: Sendable {
    var id: String
    var name: String
    var sku: String
    var description: String
    var category: String
    var price: String
    var stock: Int
    /// "In stock", "Only 3 left" or "Out of stock": stock shown honestly.
    var availability: String
    /// Whether it can be added to a cart.
    var isAvailable: Bool
    /// Whether few are left (drawn as a warning).
    var isLow: Bool
    /// The most a shopper may ask for at once.
    var maxQuantity: Int
    /// Its first picture (the API's address, served through the gateway) and what it shows.
    var imageURL: String?
    var imageAlt: String

    init(_ product: ShopAPI.Product) {
        id = product.id
        name = product.name
        sku = product.sku
        description = product.description
        category = product.category
        price = MoneyText.format(product.price.amount, currency: product.price.currency)
        stock = product.stock
        availability =
            switch stock {
            case 0: "Out of stock"
            case 1...5: "Only \(stock) left"
            default: "In stock"
            }
        isAvailable = stock > 0
        isLow = (1...5).contains(stock)
        maxQuantity = min(stock, CartStore.maxQuantity)
        imageURL = product.images.first?.url
        imageAlt = product.images.first?.alt ?? ""
    }
}
