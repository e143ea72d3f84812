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
        case "signInLink": signInLink
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
        case "imageURL": imageURL
        case "imageAlt": imageAlt
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
        case "companions": companions
        case "hasCompanions": hasCompanions
        default: nil
        }
    }
}

extension CartPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "cart": cart
        case "signedIn": signedIn
        case "notice": notice
        default: nil
        }
    }
}

extension CartContents: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lines": lines
        case "isEmpty": isEmpty
        case "subtotal": subtotal
        case "isPurchasable": isPurchasable
        default: nil
        }
    }
}

extension CartContents.Line: MustacheParent {
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

extension CheckoutPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "cart": cart
        case "savedAddresses": savedAddresses
        case "hasSavedAddresses": hasSavedAddresses
        case "newAddressChosen": newAddressChosen
        case "address": address
        case "saveAddress": saveAddress
        case "notice": notice
        default: nil
        }
    }
}

extension CheckoutPage.SavedAddress: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "summary": summary
        case "checked": checked
        default: nil
        }
    }
}

extension AddressForm: MustacheParent {
    func child(named name: String) -> Any? {
        name == "fields" ? fields : nil
    }
}

extension FormField: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "label": label
        case "value": value
        case "autocomplete": autocomplete
        case "isRequired": isRequired
        case "hint": hint
        case "error": error
        case "type": type
        case "accept": accept
        case "keepsValue": keepsValue
        case "multiline": multiline
        case "id": id
        default: nil
        }
    }
}

extension CheckoutPage.Review: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "lines": lines
        case "subtotal": subtotal
        case "shipping": shipping
        case "shippingDescription": shippingDescription
        case "total": total
        case "addressSummary": addressSummary
        case "address": address
        case "saveAddress": saveAddress
        case "orderKey": orderKey
        default: nil
        }
    }
}

extension CheckoutPage.ReviewLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "quantity": quantity
        case "unitPrice": unitPrice
        case "lineTotal": lineTotal
        default: nil
        }
    }
}

extension OrderPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "order": order
        case "cards": cards
        case "paymentKey": paymentKey
        case "notice": notice
        case "noticeIsError": noticeIsError
        default: nil
        }
    }
}

extension OrderPage.Card: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "checked": checked
        default: nil
        }
    }
}

extension OrderView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "reference": reference
        case "placedAt": placedAt
        case "status": status
        case "statusLabel": statusLabel
        case "history": history
        case "lines": lines
        case "subtotal": subtotal
        case "shipping": shipping
        case "total": total
        case "addressSummary": addressSummary
        case "carrier": carrier
        case "trackingNumber": trackingNumber
        case "payments": payments
        case "hasPayments": !payments.isEmpty
        case "refund": refund
        case "canPay": canPay
        case "canCancel": canCancel
        case "version": version
        default: nil
        }
    }
}

extension OrderView.Step: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "at": at
        case "datetime": datetime
        case "reason": reason
        default: nil
        }
    }
}

extension OrderView.Line: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "quantity": quantity
        case "unitPrice": unitPrice
        case "lineTotal": lineTotal
        default: nil
        }
    }
}

extension OrderView.PaymentLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "method": method
        case "amount": amount
        case "status": status
        case "reason": reason
        default: nil
        }
    }
}

extension OrdersPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "orders": orders
        case "hasOrders": hasOrders
        case "page": page
        case "pageCount": pageCount
        case "previousPage": previousPage
        case "nextPage": nextPage
        default: nil
        }
    }
}

extension AccountPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "email": email
        case "name": self.name
        case "addresses": addresses
        case "hasAddresses": hasAddresses
        case "canAddAddress": canAddAddress
        case "newAddress": newAddress
        case "notice": notice
        case "noticeIsError": noticeIsError
        default: nil
        }
    }
}

extension AccountPage.SavedAddress: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "index": index
        case "summary": summary
        case "isDefault": isDefault
        default: nil
        }
    }
}

extension NotificationsPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "emails": emails
        case "hasEmails": hasEmails
        case "page": page
        case "pageCount": pageCount
        case "previousPage": previousPage
        case "nextPage": nextPage
        default: nil
        }
    }
}

extension NotificationsPage.Email: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "subject": subject
        case "recipient": recipient
        case "status": status
        case "statusLabel": statusLabel
        case "at": at
        case "datetime": datetime
        default: nil
        }
    }
}

extension RegistrationPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "fields": fields
        case "returnTo": returnTo
        case "notice": notice
        case "signInLink": signInLink
        default: nil
        }
    }
}

extension ProductForm: MustacheParent {
    func child(named name: String) -> Any? {
        name == "fields" ? fields : nil
    }
}

extension AdminProductsPage.ListValues: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "products": products
        case "hasProducts": hasProducts
        case "search": search
        case "page": page
        case "pageCount": pageCount
        case "previousPage": previousPage
        case "nextPage": nextPage
        case "notice": notice
        default: nil
        }
    }
}

extension AdminProductsPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "sku": sku
        case "category": category
        case "price": price
        case "stock": stock
        default: nil
        }
    }
}

extension AdminProductsPage.FormValues: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "isNew": isNew
        case "id": id
        case "sku": sku
        case "form": form
        case "notice": notice
        case "noticeIsError": noticeIsError
        case "pictures": pictures
        case "hasPictures": hasPictures
        case "canRemovePicture": canRemovePicture
        case "canAddPicture": canAddPicture
        case "maxPictures": maxPictures
        case "upload": upload
        default: nil
        }
    }
}

extension AdminProductsPage.Picture: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "imageId": imageId
        case "url": url
        case "alt": alt
        default: nil
        }
    }
}

extension PictureForm: MustacheParent {
    func child(named name: String) -> Any? {
        name == "fields" ? fields : nil
    }
}

extension AdminOrdersPage.ListValues: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "orders": orders
        case "hasOrders": hasOrders
        case "statuses": statuses
        case "total": total
        case "summary": summary
        case "page": page
        case "pageCount": pageCount
        case "previousPage": previousPage
        case "nextPage": nextPage
        default: nil
        }
    }
}

extension AdminOrdersPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "order": order
        case "customer": customer
        default: nil
        }
    }
}

extension AdminOrdersPage.OrderValues: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "order": order
        case "customer": customer
        default: nil
        }
    }
}

extension AdminCustomersPage.Values: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "customers": customers
        case "total": total
        case "summary": summary
        case "page": page
        case "pageCount": pageCount
        case "previousPage": previousPage
        case "nextPage": nextPage
        default: nil
        }
    }
}

extension AdminCustomersPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "email": email
        case "name": self.name
        case "addressCount": addressCount
        default: nil
        }
    }
}
