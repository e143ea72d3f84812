"""What the browser tests share: Debian's Chromium driven by Playwright, one browser per test class,
pages in contexts of their own (closed after each test), and every script error or CSP violation
the pages report failing the test that caused it.
"""
import os
import time
import unittest

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("EMPORIUM_CHROMIUM", "/usr/bin/chromium")


def eventually(what, check, seconds=30):
    """check()'s first truthy answer, asked every 200 ms; an AssertionError naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


class BrowserTestCase(unittest.TestCase):
    """A test class with a headless Chromium; `open()` gives a page in a fresh context."""

    @classmethod
    def setUpClass(cls):
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()

    def setUp(self):
        self.contexts = []
        self.errors = []

    def tearDown(self):
        for context in self.contexts:
            context.close()
        self.assertEqual(self.errors, [], "the browser reported errors (a CSP violation shows here)")

    def open(self, width=1280, height=900):
        """A page of a new context (its own cookies), whose script errors fail the test."""
        context = self.browser.new_context(viewport={"width": width, "height": height})
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load resource")
                and self.errors.append(message.text))
        return page


def reload_until(page, what, check, seconds=30):
    """Reloads `page` until check() holds: a server-rendered page shows what arrived since."""
    def holds():
        if check():
            return True
        page.reload()
        return False
    return eventually(what, holds, seconds)
