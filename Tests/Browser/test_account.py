"""A visitor registers in a real browser, signs in at the provider's page with the address
already filled in, and runs their account: the name in the header, saved addresses (the API's
objection beside its field), and the welcome e-mail in the list of e-mails sent.

Run by scripts/browser in embedded mode and against scripts/cluster (two storefront instances).
"""
import os
import re
import unittest
import uuid

from playwright.sync_api import expect

from browser import BrowserTestCase

from test_checkout import PASSWORD, new_customer

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")


class AccountTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.page = self.open()

    def shot(self, name):
        if SCREENSHOTS:
            self.page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)

    def nav(self):
        return self.page.get_by_role("navigation", name="Main")

    def test_a_visitor_registers_signs_in_and_runs_their_account(self):
        page = self.page
        page.goto(BASE + "/")
        self.nav().get_by_role("link", name="Register").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")

        # An address that has an account already, and a password the policy refuses: each
        # refusal beside its own field, and what was typed (but the password) kept.
        taken = new_customer()
        page.get_by_label("Your name").fill("Grace Hopper")
        page.get_by_label("Email").fill(taken)
        page.get_by_label("Password").fill("a long enough passphrase")
        page.get_by_role("button", name="Create account").click()
        email_field = page.get_by_label("Email")
        expect(email_field).to_have_attribute("aria-invalid", "true")
        expect(email_field).to_have_accessible_description(re.compile("already has an account"))
        expect(page.get_by_label("Your name")).to_have_value("Grace Hopper")
        expect(page.get_by_label("Password")).to_have_value("")

        email = f"grace-{uuid.uuid4().hex[:10]}@example.com"
        email_field.fill(email)
        page.get_by_label("Password").fill("aaaaaaaaaaaa")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
        self.shot("register-weak-password.png")

        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        # At the provider's page, with the new address filled in.
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")
        expect(page.get_by_label("Email")).to_have_value(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(self.nav()).to_contain_text("Signed in as Grace Hopper")

        # The account: a new name shows in the header at once.
        self.nav().get_by_role("link", name="Account").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
        expect(page.get_by_text(f"Signed in with {email}.")).to_be_visible()
        page.get_by_label("Name", exact=True).fill("Grace B. Hopper")
        page.get_by_role("button", name="Save name").click()
        expect(page.get_by_role("status")).to_have_text("Your name is changed.")
        expect(self.nav()).to_contain_text("Signed in as Grace B. Hopper")

        # An address the API refuses, then one it keeps, then removed again.
        addresses = page.get_by_role("group", name="Add an address")
        addresses.get_by_label("Full name").fill("Grace Hopper")
        addresses.get_by_label("Street and number").fill("1 Navy Way")
        addresses.get_by_label("Postal code").fill("75001")
        addresses.get_by_label("City").fill("Paris")
        addresses.get_by_label("Country code").fill("France")
        page.get_by_role("button", name="Add address").click()
        country = page.get_by_role("group", name="Add an address").get_by_label("Country code")
        expect(country).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_role("group", name="Add an address").get_by_label("City")).to_have_value("Paris")
        country.fill("FR")
        page.get_by_role("button", name="Add address").click()
        expect(page.get_by_role("status")).to_contain_text("The address is saved.")
        saved = page.get_by_role("listitem").filter(has_text="1 Navy Way, 75001 Paris, FR")
        expect(saved).to_contain_text("(default)")
        self.shot("account.png")
        saved.get_by_role("button", name=re.compile("^Remove ")).click()
        expect(page.get_by_role("status")).to_have_text("The address is removed.")
        expect(page.get_by_text("No saved addresses yet.")).to_be_visible()

        # The welcome e-mail, once the Notification Service has sent it (no live updates here).
        page.get_by_role("link", name="Emails we sent you").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Emails we sent you")
        welcome = page.get_by_role("row").filter(has_text="Welcome to Emporium")
        for _ in range(40):
            if welcome.filter(has_text="Sent").count():
                break
            page.wait_for_timeout(250)
            page.reload()
        expect(welcome).to_contain_text(email)
        expect(welcome).to_contain_text("Sent")

    def test_signing_in_from_a_page_comes_back_to_it(self):
        page = self.page
        page.goto(BASE + "/?q=skillet&sort=price-desc")
        self.nav().get_by_role("link", name="Sign in").click()
        page.get_by_label("Email").fill(new_customer())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(self.nav().get_by_role("button", name="Sign out")).to_be_visible()
        self.assertEqual(page.url, BASE + "/?q=skillet&sort=price-desc")

    def test_the_account_pages_ask_a_visitor_to_sign_in(self):
        page = self.page
        for path in ["/account", "/account/notifications"]:
            page.goto(BASE + path)
            expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Emporium")


if __name__ == "__main__":
    unittest.main()
