"""The back office in a real browser: an admin creates a product (the form's objections beside
their fields), changes its price and stock, and a customer sees it in the shop; replaces a
product's drawn picture with a photo (a file that is none refused beside its field); every customer's
orders filtered by status, one with its payments; the accounts; and a customer refused.

Run by scripts/browser in embedded mode and against scripts/cluster (two storefront instances);
the admin is the demo one, or EMPORIUM_ADMIN_EMAIL / EMPORIUM_ADMIN_PASSWORD (the cluster's).
"""
import os
import re
import struct
import time
import unittest
import uuid
import zlib

from playwright.sync_api import expect

from browser import BrowserTestCase

from test_checkout import PASSWORD, new_customer
from test_storefront import ADMIN_EMAIL, ADMIN_PASSWORD, admin_token, api, new_product

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")
ADDRESS = {"name": "Ada Lovelace", "line1": "Unter den Linden 1", "postalCode": "10117", "city": "Berlin", "country": "DE"}


def png(width, height, rgb):
    """A PNG of one colour, written here so that the upload is a real picture of known bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def customer_token(email):
    status, answer = api("POST", "/auth/token", form={
        "grant_type": "password", "client_id": "emporium-web", "username": email, "password": PASSWORD,
    })
    assert status == 200, answer
    return answer["access_token"]


class BackOfficeTests(BrowserTestCase):
    def shot(self, page, name):
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)

    def sign_in(self, page, email, password):
        page.goto(BASE + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")).to_be_visible()

    def test_an_admin_creates_and_changes_a_product_and_a_customer_sees_it(self):
        admin = self.open()
        self.sign_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
        admin.get_by_role("navigation", name="Main").get_by_role("link", name="Back office").click()
        expect(admin.get_by_role("heading", level=1)).to_have_text("Products")
        admin.get_by_role("link", name="New product").click()

        name = "Watering Can " + uuid.uuid4().hex[:6]
        sku = "BO-" + uuid.uuid4().hex[:8].upper()
        admin.get_by_label("SKU").fill(sku.lower())  # the catalog wants capitals
        admin.get_by_label("Name", exact=True).fill(name)
        admin.get_by_label("Description").fill("Galvanised steel, ten litres.")
        admin.get_by_label("Category").fill("garden")
        admin.get_by_label("Price in euros").fill("twenty")
        admin.get_by_label("Units in stock").fill("12")
        admin.get_by_role("button", name="Create product").click()
        # What the form cannot read is marked before the API is asked.
        expect(admin.get_by_label("Price in euros")).to_have_attribute("aria-invalid", "true")
        admin.get_by_label("Price in euros").fill("24.90")
        admin.get_by_role("button", name="Create product").click()
        # The API's objection to the SKU, beside the SKU, and what was typed kept.
        sku_field = admin.get_by_label("SKU")
        expect(sku_field).to_have_attribute("aria-invalid", "true")
        expect(sku_field).to_have_accessible_description(re.compile("sku", re.IGNORECASE))
        expect(admin.get_by_label("Description")).to_have_value("Galvanised steel, ten litres.")
        self.shot(admin, "admin-product-error.png")
        sku_field.fill(sku)
        admin.get_by_role("button", name="Create product").click()
        expect(admin.get_by_role("status")).to_have_text("The product is in the catalog.")
        expect(admin.get_by_role("heading", level=1)).to_have_text(f"Edit {sku}")

        # A customer finds it in the shop.
        shopper = self.open()
        shopper.goto(BASE + "/")
        shopper.get_by_role("search").get_by_label("Search the catalog").fill(name)
        shopper.get_by_role("search").get_by_role("button", name="Search").click()
        card = shopper.get_by_role("listitem").filter(has_text=name)
        expect(card).to_contain_text("€24.90")

        # The admin lowers the price and the stock; the customer's next look shows both.
        admin.get_by_label("Price in euros").fill("19.90")
        admin.get_by_label("Units in stock").fill("3")
        admin.get_by_role("button", name="Save changes").click()
        expect(admin.get_by_role("status")).to_have_text("The changes are saved; the catalog shows them now.")
        self.shot(admin, "admin-product.png")
        shopper.reload()
        expect(card).to_contain_text("€19.90")
        expect(card).to_contain_text("Only 3 left")

        # Deleted, it is gone from the shop.
        product_url = admin.url.split("?")[0].replace("/admin/products/", "/products/")
        admin.get_by_role("button", name="Delete this product").click()
        expect(admin.get_by_role("status")).to_have_text("The product is deleted.")
        shopper.goto(product_url)
        expect(shopper.get_by_role("heading", level=1)).to_have_text("Not found")

    def test_an_admin_replaces_a_products_drawn_picture_with_a_photo_the_shop_shows(self):
        product = new_product(admin_token(), "Picture Frame " + uuid.uuid4().hex[:6], stock=5)
        admin = self.open()
        self.sign_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
        admin.goto(f"{BASE}/admin/products/{product['id']}")
        pictures = admin.get_by_role("region", name="Pictures")
        drawn = f"Illustration of the {product['name']}"
        expect(pictures.get_by_role("img", name=drawn)).to_be_visible()
        # Its only picture cannot go.
        expect(pictures.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
        expect(pictures).to_contain_text("keeps one picture at least")

        # Sent empty, both fields say what they need.
        pictures.get_by_role("button", name="Add picture").click()
        expect(admin.get_by_label("Picture", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(admin.get_by_label("What the picture shows")).to_have_attribute("aria-invalid", "true")

        # A text file named like a picture is told from its bytes, and refused beside the file.
        alt = "The frame from the front, on a white wall"
        admin.get_by_label("Picture", exact=True).set_input_files(
            files=[{"name": "frame.png", "mimeType": "image/png", "buffer": b"this is no picture at all"}])
        admin.get_by_label("What the picture shows").fill(alt)
        admin.get_by_role("button", name="Add picture").click()
        file_field = admin.get_by_label("Picture", exact=True)
        expect(file_field).to_have_attribute("aria-invalid", "true")
        expect(file_field).to_have_accessible_description(re.compile("not a PNG, JPEG or WebP"))
        expect(admin.get_by_label("What the picture shows")).to_have_value(alt)
        self.shot(admin, "admin-picture-refused.png")

        # A picture over the limit (but within the form's) is refused beside the file, before the API.
        oversized = png(8, 8, (0, 0, 0)) + bytes(2 * 1024 * 1024 + 512 * 1024)
        admin.get_by_label("Picture", exact=True).set_input_files(
            files=[{"name": "huge.png", "mimeType": "image/png", "buffer": oversized}])
        admin.get_by_role("button", name="Add picture").click()
        expect(admin.get_by_label("Picture", exact=True)).to_have_accessible_description(re.compile(r"2\.5 MiB; a picture may be at most 2 MiB"))

        # A real PNG is added and drawn as a thumbnail beside the illustration.
        admin.get_by_label("Picture", exact=True).set_input_files(
            files=[{"name": "frame.png", "mimeType": "image/png", "buffer": png(64, 48, (40, 110, 90))}])
        admin.get_by_role("button", name="Add picture").click()
        expect(admin.get_by_role("status")).to_have_text("The picture is added; the shop shows it now.")
        thumbnail = admin.get_by_role("region", name="Pictures").get_by_role("img", name=alt)
        expect(thumbnail).to_be_visible()
        self.assertEqual(thumbnail.evaluate("image => [image.complete, image.naturalWidth, image.naturalHeight]"), [True, 64, 48])
        self.shot(admin, "admin-product-pictures.png")

        # The illustration removed, the photo is the product's picture in the shop.
        admin.get_by_role("button", name=f"Remove the picture: {drawn}").click()
        expect(admin.get_by_role("status")).to_have_text("The picture is removed.")
        expect(admin.get_by_role("region", name="Pictures").get_by_role("img", name=drawn)).to_have_count(0)
        expect(admin.get_by_role("region", name="Pictures").get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
        shopper = self.open()
        shopper.goto(f"{BASE}/products/{product['id']}")
        shown = shopper.get_by_role("img", name=alt)
        expect(shown).to_be_visible()
        self.assertEqual(shown.evaluate("image => image.naturalWidth"), 64)

    def test_an_admin_finds_a_customers_order_by_status_with_its_payments(self):
        token = admin_token()
        product = new_product(token, "Back Office Lamp " + uuid.uuid4().hex[:6], stock=20, price=4500)
        email = new_customer()
        customer = customer_token(email)
        status, order = api("POST", "/api/v1/orders", token=customer, body={
            "items": [{"productId": product["id"], "quantity": 1}], "shippingAddress": ADDRESS})
        self.assertEqual(status, 201, order)
        for _ in range(100):
            _, current = api("GET", f"/api/v1/orders/{order['id']}", token=customer)
            if current["status"] != "pending":
                break
            time.sleep(0.1)
        status, declined = api("POST", "/api/v1/payments", token=customer, body={
            "orderId": order["id"], "paymentMethod": "pm_card_insufficientFunds"})
        self.assertEqual(status, 402, declined)
        reference = order["id"][:8].upper()

        admin = self.open()
        self.sign_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
        admin.goto(BASE + "/admin/orders")
        admin.get_by_label("Status").select_option(label="Payment declined")
        admin.get_by_role("button", name="Show orders").click()
        row = admin.get_by_role("row").filter(has_text=f"Order {reference}")
        expect(row).to_contain_text("Payment declined")
        expect(admin.get_by_role("row").filter(has_text="Shipped")).to_have_count(0)
        self.shot(admin, "admin-orders.png")
        row.get_by_role("link", name=f"Order {reference}").click()
        expect(admin.get_by_role("heading", level=1)).to_have_text(f"Order {reference}")
        expect(admin.get_by_role("list").filter(has_text="Test card with insufficient funds")).to_contain_text("Failed")

        admin.get_by_role("navigation", name="Back office").get_by_role("link", name="Customers").click()
        expect(admin.get_by_role("heading", level=1)).to_have_text("Customers")
        # The accounts go by e-mail, 50 a page: the customer who just ordered is on one of them.
        customer_row = admin.get_by_role("row").filter(has_text=email)
        for _ in range(100):
            if customer_row.count() or not admin.get_by_role("link", name="Next page").count():
                break
            admin.get_by_role("link", name="Next page").click()
        expect(customer_row).to_have_count(1)

    def test_a_customer_is_refused_the_back_office_and_a_visitor_is_sent_to_sign_in(self):
        visitor = self.open()
        visitor.goto(BASE + "/admin/orders")
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")

        customer = self.open()
        self.sign_in(customer, new_customer(), PASSWORD)
        # In the header; a product of another test may be called "Back Office Lamp".
        expect(customer.get_by_role("navigation", name="Main").get_by_role("link", name="Back office")).to_have_count(0)
        for path in ["/admin", "/admin/products/new", "/admin/customers"]:
            response = customer.goto(BASE + path)
            self.assertEqual(response.status, 403, path)
            expect(customer.get_by_role("heading", level=1)).to_have_text("This page is for the shop's staff")
        self.shot(customer, "admin-refused.png")


if __name__ == "__main__":
    unittest.main()
