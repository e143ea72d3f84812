"""Signing in and out through the identity provider's own page, in a real browser.

The storefront sends the browser to the provider (the code flow with PKCE); the provider's page
asks for the email and password and sends the browser back; the storefront holds the tokens.
Run by scripts/browser, in embedded mode and against scripts/cluster.
"""
import os
import unittest

from playwright.sync_api import expect

from browser import BrowserTestCase

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")
EMAIL = os.environ.get("EMPORIUM_ADMIN_EMAIL", "admin@demo.emporium")
PASSWORD = os.environ.get("EMPORIUM_ADMIN_PASSWORD", "emporium-demo")
SKILLET = "00000000-0000-4000-8000-0000000D0001"


class SignInTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.page = self.open()

    def nav(self):
        return self.page.get_by_role("navigation", name="Main")

    def sign_in_at_the_provider(self, password):
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    def test_a_visitors_cart_is_kept_when_they_sign_in_and_the_session_ends_at_sign_out(self):
        page = self.page
        page.goto(BASE + "/products/" + SKILLET)
        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Add to cart").click()
        expect(self.nav().get_by_role("link", name="Cart")).to_have_accessible_name("Cart, 2 items")

        product_page = page.url
        self.nav().get_by_role("link", name="Sign in").click()
        # The provider's own page, reached through the gateway, not the storefront's.
        self.assertTrue(page.url.startswith(BASE + "/auth/authorize?"), page.url)
        self.assertIn("code_challenge_method=S256", page.url)
        self.sign_in_at_the_provider("not the password")
        expect(page.get_by_role("alert")).to_have_text("The email or password is wrong.")
        expect(page.get_by_label("Email")).to_have_value(EMAIL)
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, "sign-in.png"))
        self.sign_in_at_the_provider(PASSWORD)

        expect(self.nav()).to_contain_text("Signed in as")
        # Back on the page the sign-in started from.
        self.assertEqual(page.url, product_page)
        # Two of the visitor's, plus whatever this account's cart held before.
        cart = self.nav().get_by_role("link", name="Cart")
        label = cart.get_attribute("aria-label")
        self.assertRegex(label, r"^Cart, \d+ items$")
        self.assertGreaterEqual(int(label.split()[1]), 2)
        cookies = {cookie["name"]: cookie for cookie in self.page.context.cookies()}
        session = cookies["emporium-session"]
        self.assertTrue(session["httpOnly"])
        self.assertEqual(session["sameSite"], "Lax")
        self.assertNotIn("access_token", page.content())

        self.nav().get_by_role("button", name="Sign out").click()
        expect(self.nav().get_by_role("link", name="Sign in")).to_be_visible()
        expect(self.nav().get_by_role("link", name="Cart")).to_have_accessible_name("Cart, 0 items")
        after = {cookie["name"]: cookie["value"] for cookie in self.page.context.cookies()}
        self.assertNotEqual(after.get("emporium-session"), session["value"], "signing out starts a new session")

        # Signing in again finds the cart where the account left it.
        self.nav().get_by_role("link", name="Sign in").click()
        self.sign_in_at_the_provider(PASSWORD)
        expect(self.nav().get_by_role("link", name="Cart")).to_have_accessible_name(label)

    def test_a_sign_in_for_an_unregistered_address_is_refused_on_the_providers_page(self):
        answer = self.page.goto(BASE + "/auth/authorize?response_type=code&client_id=storefront&redirect_uri=https://evil.example/cb"
                                "&scope=openid&code_challenge=" + "A" * 43 + "&code_challenge_method=S256")
        self.assertEqual(answer.status, 400)
        self.assertEqual(self.page.url.split("?")[0], BASE + "/auth/authorize")
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Sign-in refused")


if __name__ == "__main__":
    unittest.main()
