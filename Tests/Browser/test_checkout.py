"""A customer buys in a real browser: checkout with an address checked by the API, a declined
card and a second try, the order followed live until it ships; an unpaid order cancelled; and
the same purchase with JavaScript turned off.

Run by scripts/browser in embedded mode and against scripts/cluster (two storefront instances).
The customers are registered through the public API (test_account.py registers on the page);
the products are created as the demo admin, with stock enough for every run. Shipping a paid
order takes a few seconds there (scripts/browser), which leaves time to cancel one.
"""
import os
import re
import unittest
import uuid

from playwright.sync_api import expect, sync_playwright

from test_storefront import admin_token, api, new_product

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")
CHROMIUM = os.environ.get("EMPORIUM_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "a long browser passphrase"
# Shipping an order takes a few hops through the broker; the live page must show each in time.
LIVE = 20_000


def new_customer():
    email = f"shopper-{uuid.uuid4().hex[:10]}@example.com"
    status, answer = api("POST", "/api/v1/users", body={"email": email, "password": PASSWORD, "name": "Browser Shopper"})
    assert status == 201, answer
    return email


class CheckoutTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        token = admin_token()
        cls.kettle = new_product(token, "Checkout Kettle " + uuid.uuid4().hex[:6], stock=50, price=3490, category="kitchen")
        cls.mug = new_product(token, "Checkout Mug " + uuid.uuid4().hex[:6], stock=50, price=1290, category="kitchen")

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()

    def open(self, javascript=True):
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 1000}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load resource")
                     and self.errors.append(message.text))
        return self.page

    def tearDown(self):
        self.context.close()
        self.assertEqual(self.errors, [], "the browser reported errors (a CSP violation shows here)")

    def shot(self, name):
        if SCREENSHOTS:
            self.page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)

    def add_to_cart(self, product, quantity):
        page = self.page
        page.goto(BASE + "/")
        page.get_by_role("search").get_by_label("Search the catalog").fill(product["name"])
        page.get_by_role("search").get_by_role("button", name="Search").click()
        page.get_by_role("link", name=product["name"]).first.click()
        page.get_by_label("Quantity").fill(str(quantity))
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_role("status")).to_have_text("Added to your cart.")

    def sign_in_to_check_out(self, email):
        page = self.page
        page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Cart")).click()
        page.get_by_role("link", name="Sign in to check out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")

    def fill_address(self, country):
        page = self.page
        page.get_by_label("Full name").fill("Ada Lovelace")
        page.get_by_label("Street and number").fill("Unter den Linden 1")
        page.get_by_label("Postal code").fill("10117")
        page.get_by_label("City").fill("Berlin")
        page.get_by_label("Country code").fill(country)

    def status(self):
        return self.page.get_by_text(re.compile("^Status:"))

    def test_a_customer_checks_out_is_declined_pays_watches_the_order_ship_and_is_refunded(self):
        page = self.open()
        email = new_customer()
        self.add_to_cart(self.kettle, 1)
        self.add_to_cart(self.mug, 2)
        self.sign_in_to_check_out(email)

        # The API judges the address; its refusal shows beside the field it names.
        self.fill_address("Germany")
        page.get_by_role("button", name="Review order and shipping").click()
        country = page.get_by_label("Country code")
        expect(country).to_have_attribute("aria-invalid", "true")
        expect(country).to_have_accessible_description(re.compile("country", re.IGNORECASE))
        expect(page.get_by_label("Full name")).to_have_value("Ada Lovelace")
        self.shot("checkout-address-error.png")
        country.fill("DE")
        page.get_by_role("button", name="Review order and shipping").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")
        expect(page.get_by_role("row", name=re.compile("^Shipping"))).to_contain_text("€")
        expect(page.get_by_role("row", name=re.compile("^Total"))).to_contain_text("€")
        self.shot("checkout-review.png")
        page.get_by_role("button", name="Place order").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Order [0-9A-F]{8}$"))
        order_url = page.url
        # The cart was emptied by the order.
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Cart"))).to_have_accessible_name("Cart, 0 items")
        expect(self.status()).to_have_text("Status: Awaiting payment", timeout=LIVE)

        page.get_by_label("Test card that is declined").check()
        page.get_by_role("button", name=re.compile("^Pay ")).click()
        expect(page.get_by_role("alert")).to_contain_text("Your payment was declined")
        self.assertEqual(page.url, order_url + "?done=declined")
        payments = page.get_by_role("list").filter(has_text="Test card that is declined")
        expect(payments).to_contain_text("Failed")
        self.shot("order-declined.png")
        page.get_by_label("Test Visa card (succeeds)").check()
        page.get_by_role("button", name=re.compile("^Pay ")).click()
        expect(page.get_by_role("status").first).to_contain_text("your payment went through")

        # Nobody reloads: the page follows the order to the carrier.
        expect(self.status()).to_have_text("Status: Shipped", timeout=LIVE)
        expect(page.get_by_text(re.compile("tracking number"))).to_be_visible()
        history = page.get_by_role("list").filter(has_text="Awaiting payment")
        expect(history).to_contain_text("Payment declined")
        self.shot("order-shipped.png")

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your orders")
        expect(page.get_by_role("row").filter(has_text="Shipped")).to_have_count(1)

        # The kettle and the mug were ordered together: each product page now says so.
        page.goto(BASE + "/products/" + self.kettle["id"])
        together = page.get_by_role("region", name="Bought together")
        expect(together.get_by_role("link", name=self.mug["name"])).to_be_visible()
        self.shot("product-bought-together.png")

        # The second order uses the address saved by the first, and is cancelled before it is paid.
        self.add_to_cart(self.mug, 1)
        page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Cart")).click()
        page.get_by_role("link", name="Check out").click()
        expect(page.get_by_label(re.compile("Ada Lovelace, Unter den Linden 1"))).to_be_checked()
        page.get_by_role("button", name="Review order and shipping").click()
        page.get_by_role("button", name="Place order").click()
        expect(self.status()).to_have_text("Status: Awaiting payment", timeout=LIVE)
        page.get_by_role("button", name="Cancel this order").click()
        expect(self.status()).to_have_text("Status: Cancelled")
        expect(page.get_by_role("button", name=re.compile("^Pay "))).to_have_count(0)

        # A third is paid, then cancelled while its label is printed: the page shows the refund
        # when the Payment Service has made it, without a reload.
        self.place_order_with_saved_address(self.kettle)
        page.get_by_label("Test Visa card (succeeds)").check()
        page.get_by_role("button", name=re.compile("^Pay ")).click()
        expect(self.status()).to_have_text("Status: Paid, preparing shipment", timeout=LIVE)
        page.get_by_role("button", name="Cancel this order").click()
        expect(self.status()).to_have_text("Status: Cancelled")
        expect(page.get_by_text(re.compile("^Refunded €[0-9.]+ to Test Visa card"))).to_be_visible(timeout=LIVE)
        self.shot("order-refunded.png")

        # The e-mails of all three, in the account's list.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
        page.get_by_role("link", name="Emails we sent you").click()
        # The list has no live updates: the last e-mail may need a reload or two to appear.
        refund = page.get_by_role("row").filter(has_text="Refund for your order")
        for _ in range(40):
            if refund.count():
                break
            page.wait_for_timeout(250)
            page.reload()
        for subject in ["Welcome to Emporium", "is on its way", "was declined", "Refund for your order"]:
            expect(page.get_by_role("row").filter(has_text=subject).first).to_be_visible()
        self.shot("account-emails.png")

    def place_order_with_saved_address(self, product):
        page = self.page
        self.add_to_cart(product, 1)
        page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Cart")).click()
        page.get_by_role("link", name="Check out").click()
        page.get_by_role("button", name="Review order and shipping").click()
        page.get_by_role("button", name="Place order").click()
        expect(self.status()).to_have_text("Status: Awaiting payment", timeout=LIVE)

    def test_the_same_purchase_works_with_javascript_off(self):
        page = self.open(javascript=False)
        email = new_customer()
        self.add_to_cart(self.kettle, 1)
        self.sign_in_to_check_out(email)
        self.fill_address("FR")
        page.get_by_role("button", name="Review order and shipping").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")
        page.get_by_role("button", name="Place order").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Order "))
        # Without script the page shows the pay form at once; the storefront waits for the stock.
        page.get_by_label("Test Visa card (succeeds)").check()
        page.get_by_role("button", name=re.compile("^Pay ")).click()
        expect(page.get_by_role("status").first).to_contain_text("your payment went through")
        # No live updates without script: reloading shows where the order is, until it ships.
        for _ in range(40):
            if page.get_by_text("Status: Shipped").count():
                break
            page.wait_for_timeout(500)
            page.reload()
        expect(self.status()).to_have_text("Status: Shipped")

    def test_checkout_and_orders_ask_a_visitor_to_sign_in(self):
        page = self.open()
        for path in ["/checkout", "/orders"]:
            page.goto(BASE + path)
            expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")
            self.assertIn("/auth/authorize?", page.url)
        page.goto(BASE + "/orders/" + str(uuid.uuid4()))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")


if __name__ == "__main__":
    unittest.main()
