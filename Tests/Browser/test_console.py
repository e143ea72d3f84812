"""The console in a real browser: an admin signs in through the identity provider and sees the
seed's diagram; after scripted checkouts the edges they crossed carry exactly their traffic (blue
calls, orange events); a customer is refused.

Run by scripts/browser in embedded mode and against scripts/cluster (every instance scraped).
"""
import os
import re
import unittest
import uuid

from playwright.sync_api import expect

from browser import BrowserTestCase, eventually, reload_until

from test_checkout import PASSWORD, new_customer
from test_storefront import ADMIN_EMAIL, ADMIN_PASSWORD, admin_token, api, new_product

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = os.environ.get("EMPORIUM_SCREENSHOT_DIR")
ADDRESS = {"name": "Ada Lovelace", "line1": "Unter den Linden 1", "postalCode": "10117", "city": "Berlin", "country": "DE"}
CHECKOUTS = 3
ORDER_CREATED = "emporium.order.created.v1"
PAYMENT_PROCESSED = "emporium.payment.processed.v1"
BLUE = "rgb(31, 111, 235)"
ORANGE = "rgb(217, 115, 13)"
RED = "rgb(198, 40, 40)"


def checkout(token, product):
    status, order = api("POST", "/api/v1/orders", token=token, body={
        "items": [{"productId": product["id"], "quantity": 1}], "shippingAddress": ADDRESS})
    assert status == 201, order
    eventually("the order awaits payment", lambda: api("GET", f"/api/v1/orders/{order['id']}", token=token)[1]["status"] == "awaiting_payment")
    status, payment = api("POST", "/api/v1/payments", token=token, body={"orderId": order["id"], "paymentMethod": "pm_card_visa"})
    assert status in (201, 202), payment
    return order["id"]


def stroke(page, edge):
    """The drawn colour of an edge's line, read in one step: the diagram is redrawn every second."""
    return page.evaluate("id => { const line = document.querySelector(`[data-edge=\"${id}\"] .line`); return line ? getComputedStyle(line).stroke : null; }", edge)


def totals(graph):
    return {edge["id"]: edge["total"] for edge in graph["edges"]}


class ConsoleTests(BrowserTestCase):
    def open(self):
        return super().open(width=1400, height=1000)

    def sign_in_to_console(self, page, email, password):
        page.goto(BASE + "/console")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    def graph(self, page):
        response = page.request.get(BASE + "/console/graph?window=900")
        self.assertEqual(response.status, 200, response.text())
        return response.json()

    def test_after_checkouts_the_diagram_shows_their_traffic(self):
        page = self.open()
        self.sign_in_to_console(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("The platform, live")
        expect(page.locator("#moment")).to_contain_text("Live", timeout=10_000)
        before = totals(self.graph(page))

        token = admin_token()
        product = new_product(token, "Console Lamp " + uuid.uuid4().hex[:6], stock=CHECKOUTS + 5, price=2200)
        email = new_customer()
        status, answer = api("POST", "/auth/token", form={
            "grant_type": "password", "client_id": "emporium-web", "username": email, "password": PASSWORD})
        self.assertEqual(status, 200, answer)
        for _ in range(CHECKOUTS):
            checkout(answer["access_token"], product)

        def delta():
            now = totals(self.graph(page))
            return {edge: now.get(edge, 0) - before.get(edge, 0) for edge in now}

        # Every consumer has handled the checkouts' events once the payments' reached the order saga and the emails.
        counted = eventually("the console counts every checkout's events", lambda: (lambda d: d if all(
            d.get(edge, 0) >= CHECKOUTS for edge in (
                f"deliver:{ORDER_CREATED}:product.stock", f"deliver:{ORDER_CREATED}:notification.events",
                f"deliver:{PAYMENT_PROCESSED}:order.saga", f"deliver:{PAYMENT_PROCESSED}:notification.events")) else None)(delta()))
        for edge in (f"publish:{ORDER_CREATED}:order", f"deliver:{ORDER_CREATED}:product.stock", f"deliver:{ORDER_CREATED}:product.recommendations",
                     f"deliver:{ORDER_CREATED}:notification.events", f"publish:{PAYMENT_PROCESSED}:payment",
                     f"deliver:{PAYMENT_PROCESSED}:order.saga"):
            self.assertEqual(counted.get(edge), CHECKOUTS, f"{edge}: exactly one per checkout")
        # Calls at least: a refund or an email from the test before may land in the same seconds.
        for edge in ("call:payment>payment-gateway", "call:clients>gateway", "call:gateway>order", "call:gateway>payment", "call:order>product", "call:order>shipping",
                     "call:payment>order", "call:notification>email"):
            self.assertGreaterEqual(counted.get(edge, 0), CHECKOUTS, f"{edge}: at least one call per checkout")

        # The diagram draws them: blue calls, orange events, each busy line with its count.
        created = page.locator(f'[data-edge="publish:{ORDER_CREATED}:order"]')
        expect(created).to_have_class(re.compile(r"\bbusy\b"), timeout=5_000)
        self.assertEqual(stroke(page, f"publish:{ORDER_CREATED}:order"), ORANGE)
        charge = page.locator('[data-edge="call:payment>payment-gateway"]')
        expect(charge).to_have_class(re.compile(r"\bbusy\b"))
        self.assertEqual(stroke(page, "call:payment>payment-gateway"), BLUE)
        events = page.get_by_role("table", name="Events")
        row = events.get_by_role("row").filter(has=page.get_by_role("rowheader", name="OrderCreated", exact=True)).filter(has_text="product.stock")
        expect(row).to_have_count(1)
        self.assertGreaterEqual(int(row.get_by_role("cell").nth(3).inner_text()), CHECKOUTS)
        components = page.get_by_role("table", name="Components")
        order_row = components.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Order Service"))
        expect(order_row).to_contain_text("ready")
        instances = order_row.get_by_role("cell").nth(1).inner_text()
        self.assertRegex(instances, r"^(\d+) of \1$", "every instance of the Order Service answers ready")
        if SCREENSHOTS:
            page.locator("figure.diagram").screenshot(path=os.path.join(SCREENSHOTS, "console.png"))

    def set_faults(self, page, error_rate, simulator="Payment gateway"):
        if not page.url.startswith(BASE + "/console?") and page.url != BASE + "/console":
            page.goto(BASE + "/console")
        form = page.get_by_role("form", name=simulator)
        form.get_by_label("Error rate (0 to 1)").fill(str(error_rate))
        form.get_by_label("Latency (ms)").fill("0")
        form.get_by_role("button", name=f"Apply to {simulator}").click()
        expect(page.get_by_role("form", name=simulator).get_by_role("status")).to_have_text("The new faults are in effect.")

    def test_an_operator_breaks_the_payment_gateway_watches_and_heals_it(self):
        page = self.open()
        self.sign_in_to_console(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        expect(page.get_by_role("heading", name="External systems' faults")).to_be_visible()
        token = admin_token()
        product = new_product(token, "Console Fuse " + uuid.uuid4().hex[:6], stock=20, price=900)
        email = new_customer()
        status, answer = api("POST", "/auth/token", form={
            "grant_type": "password", "client_id": "emporium-web", "username": email, "password": PASSWORD})
        self.assertEqual(status, 200, answer)
        customer = answer["access_token"]
        status, order = api("POST", "/api/v1/orders", token=customer, body={
            "items": [{"productId": product["id"], "quantity": 1}], "shippingAddress": ADDRESS})
        self.assertEqual(status, 201, order)
        eventually("the order awaits payment", lambda: api("GET", f"/api/v1/orders/{order['id']}", token=customer)[1]["status"] == "awaiting_payment")
        try:
            self.set_faults(page, 1)
            expect(page.get_by_label("Error rate (0 to 1)").first).to_have_value("1.0")
            status, refused = api("POST", "/api/v1/payments", token=customer, body={"orderId": order["id"], "paymentMethod": "pm_card_visa"})
            self.assertIn(status, (502, 503, 504), refused)
            self.assertIn("type", refused, "a problem document, not a crash")
            # The charge's line turns red.
            charge = page.locator('[data-edge="call:payment>payment-gateway"]')
            expect(charge).to_have_class(re.compile(r"\bfailing\b"), timeout=10_000)
            self.assertEqual(stroke(page, "call:payment>payment-gateway"), RED)
            # More orders fail to be paid until a Payment Service instance's breaker for the gateway
            # opens (five failures in a row; the cluster's two instances share the attempts): the node says so.
            breaker = page.locator('[data-node="payment"] .breaker')
            for _ in range(16):
                if breaker.count():
                    break
                status, another = api("POST", "/api/v1/orders", token=customer, body={
                    "items": [{"productId": product["id"], "quantity": 1}], "shippingAddress": ADDRESS})
                self.assertEqual(status, 201, another)
                eventually("the order awaits payment", lambda: api(
                    "GET", f"/api/v1/orders/{another['id']}", token=customer)[1]["status"] == "awaiting_payment")
                status, refused = api("POST", "/api/v1/payments", token=customer, body={"orderId": another["id"], "paymentMethod": "pm_card_visa"})
                self.assertIn(status, (502, 503, 504), refused)
            expect(breaker).to_contain_text("payment-gateway open", timeout=5_000)
            if SCREENSHOTS:
                page.locator("figure.diagram").screenshot(path=os.path.join(SCREENSHOTS, "console-broken.png"))
        finally:
            self.set_faults(page, 0)
        # Healed: the charge left waiting is asked again, and the order is paid.
        eventually("the order is paid once the gateway is healed", lambda: api(
            "GET", f"/api/v1/orders/{order['id']}", token=customer)[1]["status"] in ("paid", "shipped"), seconds=90)

    def test_an_orders_trace_opens_from_the_back_office_across_the_platform(self):
        token = admin_token()
        product = new_product(token, "Console Trace " + uuid.uuid4().hex[:6], stock=5, price=1200)
        email = new_customer()
        status, answer = api("POST", "/auth/token", form={
            "grant_type": "password", "client_id": "emporium-web", "username": email, "password": PASSWORD})
        self.assertEqual(status, 200, answer)
        order = checkout(answer["access_token"], product)
        page = self.open()
        self.sign_in_to_console(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        expect(page.get_by_role("heading", name="The platform, live")).to_be_visible()
        page.goto(BASE + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
        page.get_by_label("Email").fill(ADMIN_EMAIL)
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")).to_be_visible()

        page.goto(f"{BASE}/admin/orders/{order}")
        page.get_by_role("link", name="Its traces in the console").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Traces")
        expect(page.get_by_label("Order id")).to_have_value(order)
        # The exporters send every second (200 ms in the cluster): reload until the payment's trace is listed.
        payment = page.get_by_role("table", name="Recent traces").get_by_role("link", name="POST /api/v1/payments")
        reload_until(page, "the payment's trace is listed under the order", payment.count)
        payment.first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("POST /api/v1/payments")
        spans = page.get_by_role("table", name="Spans")
        components = set(spans.locator("tbody tr td:nth-child(2)").all_inner_texts())
        self.assertTrue({"gateway", "payment", "payment-gateway", "order", "notification"} <= components, components)
        # The creation's trace adds product and shipping: together at least six components, and the broker's hops.
        expect(spans.get_by_role("row").filter(has_text=f"receives {PAYMENT_PROCESSED} from the broker as order.")).not_to_have_count(0)
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, "console-trace.png"))
        page.get_by_role("link", name="All traces").click()
        page.get_by_label("Order id").fill(order)
        page.get_by_role("button", name="Find traces").click()
        page.get_by_role("table", name="Recent traces").get_by_role("link", name="POST /api/v1/orders").first.click()
        components |= set(page.get_by_role("table", name="Spans").locator("tbody tr td:nth-child(2)").all_inner_texts())
        self.assertGreaterEqual(len(components), 6, components)
        self.assertTrue({"product", "shipping"} <= components, components)

    def test_a_refused_email_becomes_a_dead_letter_an_operator_replays(self):
        token = admin_token()
        product = new_product(token, "Console Letter " + uuid.uuid4().hex[:6], stock=5, price=700)
        email = new_customer()
        status, answer = api("POST", "/auth/token", form={
            "grant_type": "password", "client_id": "emporium-web", "username": email, "password": PASSWORD})
        self.assertEqual(status, 200, answer)
        customer = answer["access_token"]

        def sent(kind):
            return any(item["kind"] == kind and item["status"] == "sent"
                       for item in api("GET", "/api/v1/notifications", token=customer)[1]["items"])
        eventually("the customer is welcomed while the email service is healthy", lambda: sent("welcome"))
        page = self.open()
        self.sign_in_to_console(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        dead_letters = page.get_by_role("navigation", name="Main").get_by_role("link", name="Dead letters")
        try:
            self.set_faults(page, 1, simulator="Email service")
            status, order = api("POST", "/api/v1/orders", token=customer, body={
                "items": [{"productId": product["id"], "quantity": 1}], "shippingAddress": ADDRESS})
            self.assertEqual(status, 201, order)
            dead_letters.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Dead letters")
            # The "order received" email is refused for good (554): its event waits as a dead letter.
            row = page.get_by_role("table", name="Dead letters").get_by_role("row").filter(has_text=f"orders/{order['id']}")
            reload_until(page, "the refused email's event is a dead letter", row.count)
            expect(row).to_contain_text("notification")
            expect(row).to_contain_text(ORDER_CREATED)
            if SCREENSHOTS:
                page.screenshot(path=os.path.join(SCREENSHOTS, "console-dead-letters.png"))
        finally:
            self.set_faults(page, 0, simulator="Email service")
        # Healed, the operator replays what waits: this email, and any other refused meanwhile.
        dead_letters.click()
        replay = page.get_by_role("button", name=re.compile(r"^Replay "))
        while replay.count():
            replay.first.click()
            expect(page.get_by_role("status").filter(has_text="Replay requested")).to_be_visible()
        page.get_by_label("Status").select_option(label="All")
        page.get_by_role("button", name="Show dead letters").click()
        reload_until(page, "the dead letter is handled once replayed", lambda: "replayed" in row.inner_text())
        eventually("the customer has the email the platform first failed to send", lambda: sent("order-received"))

    def test_a_customer_is_refused(self):
        email = new_customer()
        page = self.open()
        self.sign_in_to_console(page, email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("The console is for admins")
        response = page.request.get(BASE + "/console/graph")
        self.assertEqual(response.status, 403)
        self.assertEqual(response.json()["type"], "urn:emporium:problem:forbidden")
        anonymous = self.open()
        response = anonymous.request.get(BASE + "/console/graph")
        self.assertEqual(response.status, 401)


if __name__ == "__main__":
    unittest.main()
