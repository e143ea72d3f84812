import Contracts
import EmporiumCore
import Hummingbird
import WebSupport

/// Every page the storefront serves, with its handler; every component also answers `/health/…`
/// and `/metrics`. The gateway forwards these paths to it (``GatewayRoute/web``); a method a path
/// does not list answers 405 with `Allow`. Every form posts back here with its CSRF token.
struct StorefrontRoutes: Sendable {
    let catalog: CatalogPage
    let product: ProductPage
    let cart: CartPage
    let checkout: CheckoutPage
    let order: OrderPage
    let orders: OrdersPage
    let account: AccountPage
    let notifications: NotificationsPage
    let registration: RegistrationPage
    let adminProducts: AdminProductsPage
    let adminOrders: AdminOrdersPage
    let adminCustomers: AdminCustomersPage
    let signIn: SignInFlow
    let assets: StaticAssets

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/") { routes in
            routes.get(use: catalog.show)
        }
        router.resource("/products/{id}") { routes in
            routes.get(use: product.show)
        }
        router.resource("/cart") { routes in
            routes.get(use: cart.show)
        }
        router.resource("/cart/items") { routes in
            routes.post(use: cart.add)
        }
        router.resource("/cart/items/{id}") { routes in
            routes.post(use: cart.update)
        }
        router.resource("/cart/items/{id}/remove") { routes in
            routes.post(use: cart.remove)
        }
        router.resource("/checkout") { routes in
            routes.get(use: checkout.show)
            routes.post(use: checkout.review)
        }
        router.resource("/checkout/order") { routes in
            routes.post(use: checkout.place)
        }
        router.resource("/orders") { routes in
            routes.get(use: orders.show)
        }
        router.resource("/orders/{id}") { routes in
            routes.get(use: order.show)
        }
        router.resource("/orders/{id}/pay") { routes in
            routes.post(use: order.pay)
        }
        router.resource("/orders/{id}/cancel") { routes in
            routes.post(use: order.cancel)
        }
        router.resource("/orders/{id}/live") { routes in
            routes.get(use: order.live)
        }
        router.resource("/account") { routes in
            routes.get(use: account.show)
        }
        router.resource("/account/name") { routes in
            routes.post(use: account.rename)
        }
        router.resource("/account/addresses") { routes in
            routes.post(use: account.addAddress)
        }
        router.resource("/account/addresses/{index}/remove") { routes in
            routes.post(use: account.removeAddress)
        }
        router.resource("/account/notifications") { routes in
            routes.get(use: notifications.show)
        }
        router.resource("/register") { routes in
            routes.get(use: registration.show)
            routes.post(use: registration.register)
        }
        registerBackOffice(on: router)
        router.resource("/session/signin") { routes in
            routes.get(use: signIn.start)
        }
        router.resource("/session/callback") { routes in
            routes.get(use: signIn.finish)
        }
        router.resource("/session/signout") { routes in
            routes.post(use: signIn.signOut)
        }
        router.resource("/assets/{name}") { routes in
            routes.get { request, context in
                guard let name = context.parameters.get("name"), let response = assets.response(for: name, to: request) else {
                    throw PageError.notFound(what: "that file")
                }
                return response
            }
        }
    }

    /// The back office, for admins only: a customer gets a 403 page, a visitor the sign-in.
    private func registerBackOffice(on router: Router<EmporiumRequestContext>) {
        router.resource("/admin") { routes in
            routes.get { _, _ in PageFrame.seeOther("/admin/products") }
        }
        router.resource("/admin/products") { routes in
            routes.get(use: adminProducts.list)
            routes.post(use: adminProducts.create)
        }
        router.resource("/admin/products/new") { routes in
            routes.get(use: adminProducts.new)
        }
        router.resource("/admin/products/{id}") { routes in
            routes.get(use: adminProducts.edit)
            routes.post(use: adminProducts.save)
        }
        router.resource("/admin/products/{id}/delete") { routes in
            routes.post(use: adminProducts.delete)
        }
        router.resource(RouterPath(ProductImage.formUploadPath)) { routes in
            routes.post(use: adminProducts.addPicture)
        }
        router.resource("/admin/products/{id}/images/{imageId}/delete") { routes in
            routes.post(use: adminProducts.removePicture)
        }
        router.resource("/admin/orders") { routes in
            routes.get(use: adminOrders.list)
        }
        router.resource("/admin/orders/{id}") { routes in
            routes.get(use: adminOrders.show)
        }
        router.resource("/admin/customers") { routes in
            routes.get(use: adminCustomers.show)
        }
    }
}
