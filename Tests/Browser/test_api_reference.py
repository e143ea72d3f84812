"""The API reference page (/docs) in a real browser: Debian's Chromium, driven by Playwright.

Run by scripts/browser, which starts the platform and sets EMPORIUM_URL (and, to refresh the
README's pictures, EMPORIUM_SCREENSHOT_DIR). Elements are found by role and label, as a person
using a screen reader would find them.
"""
import os
import unittest

from playwright.sync_api import expect

from browser import BrowserTestCase

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")


class APIReferencePageTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.page = self.open()
        self.requested = []
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.page.goto(BASE + "/docs")

    def test_the_browser_runs_and_the_page_has_its_title(self):
        expect(self.page).to_have_title("Emporium API reference")
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Emporium API")

    def test_every_operation_is_listed_by_tag_and_links_to_its_reference(self):
        navigation = self.page.get_by_role("navigation", name="Operations")
        for tag in ["Catalog", "Accounts", "Orders", "Payments", "Notifications", "Identity", "Platform"]:
            expect(navigation.get_by_role("heading", name=tag, exact=True)).to_be_visible()
        navigation.get_by_role("link", name="POST /api/v1/orders", exact=True).click()
        checkout = self.page.get_by_role("article", name="POST /api/v1/orders — Place an order (checkout)")
        expect(checkout).to_be_in_viewport()
        expect(checkout.get_by_role("row", name="Idempotency-Key header required")).to_be_visible()
        expect(checkout.get_by_role("row").filter(has_text="insufficient-stock")).to_have_count(1)
        expect(checkout.get_by_role("listitem").filter(has_text="payOrder")).to_be_visible()
        if SCREENSHOTS:
            checkout.screenshot(path=os.path.join(SCREENSHOTS, "api-reference-checkout.png"))

    def test_schemas_and_problem_types_are_reachable_from_an_operation(self):
        checkout = self.page.get_by_role("article", name="POST /api/v1/orders — Place an order (checkout)")
        checkout.get_by_role("link", name="NewOrder").first.click()
        schema = self.page.get_by_role("region", name="NewOrder", exact=True)
        expect(schema).to_be_in_viewport()
        expect(schema.get_by_role("row").filter(has_text="shippingAddress")).to_be_visible()
        problems = self.page.get_by_role("region", name="Problem types")
        row = problems.get_by_role("row").filter(has_text="urn:emporium:problem:insufficient-stock")
        expect(row.get_by_role("link", name="createOrder")).to_be_visible()

    def test_nothing_is_fetched_from_anywhere_else(self):
        self.page.wait_for_load_state("networkidle")
        self.assertEqual([url for url in self.requested if not url.startswith(BASE)], [])
        if SCREENSHOTS:
            self.page.screenshot(path=os.path.join(SCREENSHOTS, "api-reference.png"))


if __name__ == "__main__":
    unittest.main()
