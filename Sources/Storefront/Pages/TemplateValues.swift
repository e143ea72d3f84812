import Mustache

// The templates read every value by name through `MustacheParent`: without it, swift-mustache
// finds each one through `Mirror`, which cost half the catalog page's CPU (docs/benchmarks.md).
// A name no case lists is nil, so that the template looks further out (the page's `chrome`).

extension PageChrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "formToken": formToken
        case "cartCount": cartCount
        case "search": search
        case "cartLabel": cartLabel
        case "customerName": customerName
        case "isAdmin": isAdmin
        default: nil
        }
    }
}

extension ProductView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "sku": sku
        case "description": description
        case "category": category
        case "price": price
        case "stock": stock
        case "availability": availability
        case "isAvailable": isAvailable
        case "isLow": isLow
        case "maxQuantity": maxQuantity
        default: nil
        }
    }
}

extension CatalogFilters: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "search": search
        case "category": category
        case "minPrice": minPrice
        case "maxPrice": maxPrice
        case "sort": sort
        case "searchError": searchError
        case "minPriceError": minPriceError
        case "maxPriceError": maxPriceError
        default: nil
        }
    }
}

extension CatalogPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "products": products
        case "filters": filters
        case "categories": categories
        case "sorts": sorts
        case "total": total
        case "page": page
        case "pageCount": pageCount
        case "previousPage": previousPage
        case "nextPage": nextPage
        case "hasProducts": hasProducts
        case "summary": summary
        case "searchPhrase": searchPhrase
        case "returnPath": returnPath
        default: nil
        }
    }
}

extension CatalogPage.Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

extension ProductPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "product": product
        case "added": added
        default: nil
        }
    }
}

extension CartPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "lines": lines
        case "isEmpty": isEmpty
        case "subtotal": subtotal
        case "notice": notice
        default: nil
        }
    }
}

extension CartPage.Line: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "productID": productID
        case "name": self.name
        case "quantity": quantity
        case "unitPrice": unitPrice
        case "lineTotal": lineTotal
        case "maxQuantity": maxQuantity
        case "problem": problem
        default: nil
        }
    }
}

extension ErrorPages.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "heading": heading
        case "message": message
        default: nil
        }
    }
}
