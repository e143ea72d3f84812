"""The storefront in a real browser: a visitor browses, searches, filters and fills a cart.

Run by scripts/browser against an embedded platform with the demo catalog, and against
scripts/cluster, whose two storefront instances take the requests in turn. Elements are found
by role and label only, so the tests also show the pages can be used with a screen reader and
a keyboard. Products the tests need are created through the public API as the demo admin.
"""
import json
import os
import unittest
import urllib.parse
import urllib.request
import uuid

from playwright.sync_api import expect, sync_playwright

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")
CHROMIUM = os.environ.get("EMPORIUM_CHROMIUM", "/usr/bin/chromium")
ADMIN_EMAIL = os.environ.get("EMPORIUM_ADMIN_EMAIL", "admin@demo.emporium")
ADMIN_PASSWORD = os.environ.get("EMPORIUM_ADMIN_PASSWORD", "emporium-demo")


def api(method, path, body=None, token=None, form=None):
    """One call to the public API; returns (status, decoded JSON or None)."""
    headers = {"Accept": "application/json"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = str(uuid.uuid4())
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def admin_token():
    status, answer = api("POST", "/auth/token", form={
        "grant_type": "password", "client_id": "emporium-web",
        "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
    })
    assert status == 200, answer
    return answer["access_token"]


def new_product(token, name, stock, price=1250, category="testing"):
    sku = "WEB-" + uuid.uuid4().hex[:8].upper()
    status, product = api("POST", "/api/v1/products", token=token, body={
        "sku": sku, "name": name, "description": "Made by the browser tests.", "category": category,
        "price": {"amount": price, "currency": "EUR"}, "stock": stock,
    })
    assert status == 201, product
    return product


class StorefrontTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        cls.token = admin_token()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()

    def setUp(self):
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors = []
        # An expected 4xx page logs "Failed to load resource"; anything else (a CSP violation, a script error) fails the test.
        self.page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load resource")
                     and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def tearDown(self):
        self.context.close()
        self.assertEqual(self.errors, [], "the browser reported errors (a CSP violation shows here)")

    def cart_link(self):
        return self.page.get_by_role("navigation", name="Main").get_by_role("link", name="Cart")

    def test_a_browsing_visitor_searches_adds_two_products_and_changes_the_cart(self):
        page = self.page
        page.goto(BASE + "/")
        expect(page).to_have_title("Catalog · Emporium")
        expect(self.cart_link()).to_have_accessible_name("Cart, 0 items")
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, "storefront-catalog.png"))

        page.get_by_role("search").get_by_label("Search the catalog").fill("skillet")
        page.get_by_role("search").get_by_role("button", name="Search").click()
        expect(page.get_by_role("status")).to_contain_text("matching “skillet”")
        page.get_by_role("link", name="Cast Iron Skillet 26 cm").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Cast Iron Skillet 26 cm")
        expect(page.get_by_text("€39.90")).to_be_visible()
        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_role("status")).to_have_text("Added to your cart.")
        expect(self.cart_link()).to_have_accessible_name("Cart, 2 items")
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, "storefront-product.png"))

        page.goto(BASE + "/?category=kitchen&sort=-price")
        expect(page.get_by_label("Category")).to_have_value("kitchen")
        expect(page.get_by_label("Sort by")).to_have_value("-price")
        cards = page.get_by_role("main").get_by_role("listitem")
        first_name = cards.first.get_by_role("heading").inner_text()
        cards.first.get_by_role("button", name="Add " + first_name + " to cart").click()
        expect(self.cart_link()).to_have_accessible_name("Cart, 3 items")
        expect(page.get_by_label("Category")).to_have_value("kitchen")  # back on the same view

        self.cart_link().click()
        table = page.get_by_role("table", name="Products in your cart")
        expect(table.get_by_role("row", name="Cast Iron Skillet 26 cm")).to_contain_text("€79.80")
        table.get_by_label("Quantity of Cast Iron Skillet 26 cm", exact=True).fill("1")
        table.get_by_role("button", name="Update quantity of Cast Iron Skillet 26 cm").click()
        expect(self.cart_link()).to_have_accessible_name("Cart, 2 items")
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, "storefront-cart.png"))
        table.get_by_role("button", name="Remove " + first_name).click()
        expect(self.cart_link()).to_have_accessible_name("Cart, 1 item")
        expect(page.get_by_role("row", name=first_name)).to_have_count(0)

    def test_stock_is_shown_honestly_and_an_empty_product_cannot_be_added(self):
        run = uuid.uuid4().hex[:6]
        few = new_product(self.token, "Nearly Gone Lamp " + run, stock=3)
        none = new_product(self.token, "Sold Out Vase " + run, stock=0)
        self.page.goto(BASE + "/?q=" + run)
        few_card = self.page.get_by_role("listitem").filter(has=self.page.get_by_role("heading", name=few["name"]))
        expect(few_card).to_contain_text("Only 3 left")
        none_card = self.page.get_by_role("listitem").filter(has=self.page.get_by_role("heading", name=none["name"]))
        expect(none_card).to_contain_text("Out of stock")
        expect(none_card.get_by_role("button")).to_have_count(0)
        self.page.goto(BASE + "/products/" + none["id"])
        expect(self.page.get_by_role("button", name="Add to cart")).to_have_count(0)
        self.assertTrue(few["id"])

    def test_a_product_name_with_markup_shows_as_text(self):
        run = uuid.uuid4().hex[:6]
        hostile = new_product(self.token, "<script>alert(1)</script> Mug " + run, stock=5)
        dialogs = []
        self.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(BASE + "/products/" + hostile["id"])
        expect(self.page.get_by_role("heading", level=1)).to_have_text(hostile["name"])
        self.page.goto(BASE + "/?q=" + run)
        expect(self.page.get_by_role("link", name=hostile["name"])).to_be_visible()
        self.assertEqual(dialogs, [])

    def test_a_demo_product_shows_its_drawn_picture(self):
        page = self.page
        page.goto(BASE + "/products/00000000-0000-4000-8000-0000000D0001")
        picture = page.get_by_role("img", name="Illustration of the Cast Iron Skillet 26 cm")
        expect(picture).to_be_visible()
        # The browser fetched and drew it: an image that failed to load has no natural width.
        self.assertGreater(picture.evaluate("image => image.naturalWidth"), 0)

    def test_an_unknown_product_is_a_real_404_page(self):
        response = self.page.goto(BASE + "/products/" + str(uuid.uuid4()))
        self.assertEqual(response.status, 404)
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Not found")
        self.page.get_by_role("link", name="Back to the catalog").click()
        expect(self.page).to_have_title("Catalog · Emporium")

    def test_a_price_that_is_not_an_amount_is_shown_next_to_its_field(self):
        self.page.goto(BASE + "/")
        self.page.get_by_label("Lowest price (€)").fill("cheap")
        self.page.get_by_role("button", name="Apply").click()
        field = self.page.get_by_label("Lowest price (€)")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description("Enter an amount in euros, such as 25 or 12.50.")
        self.page.get_by_label("Lowest price (€)").fill("30")
        self.page.get_by_label("Highest price (€)").fill("45.5")
        self.page.get_by_role("button", name="Apply").click()
        for price in self.page.get_by_role("main").get_by_role("listitem").locator(".price").all_inner_texts():
            amount = float(price.replace("€", "").replace(",", ""))
            self.assertTrue(30 <= amount <= 45.5, price)

    def test_the_cart_works_with_javascript_off(self):
        context = self.browser.new_context(java_script_enabled=False)
        page = context.new_page()
        try:
            page.goto(BASE + "/products/00000000-0000-4000-8000-0000000D0001")
            page.get_by_label("Quantity").fill("3")
            page.get_by_role("button", name="Add to cart").click()
            expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Cart")).to_have_accessible_name("Cart, 3 items")
            page.goto(BASE + "/cart")
            page.get_by_label("Quantity of Cast Iron Skillet 26 cm", exact=True).fill("5")
            page.get_by_role("button", name="Update quantity of Cast Iron Skillet 26 cm").click()
            expect(page.get_by_role("row", name="Cast Iron Skillet 26 cm")).to_contain_text("€199.50")
        finally:
            context.close()

    def test_a_form_from_another_site_is_refused(self):
        self.page.goto(BASE + "/")
        answer = self.page.request.post(BASE + "/cart/items", form={
            "product": "00000000-0000-4000-8000-0000000D0001", "quantity": "1", "csrf": "forged"})
        self.assertEqual(answer.status, 403)
        self.assertIn("This form has expired", answer.text())
        self.page.reload()
        expect(self.cart_link()).to_have_accessible_name("Cart, 0 items")


if __name__ == "__main__":
    unittest.main()
