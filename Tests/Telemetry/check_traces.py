#!/usr/bin/env python3
"""Checks the platform's traces: Tests/Telemetry/check_traces.py BASE-URL RECEIVER-URL

Against an Emporium whose components export to the receiver (Tests/Telemetry/otlp_receiver.py):
registers a customer, places an order and pays for it, each request with a `traceparent` of its
own, waits until the order has shipped and its emails are sent, then reads the spans the
receiver decoded and checks what an operator following the order would rely on:

- the order's creation and its payment are each one trace, continuing the client's span;
- together they span the gateway, the Order, Product, Payment and Notification services and
  the simulators (payment gateway, shipping API), and the emails are sent in them (a client
  span to the email service, which is an SMTP server and makes no spans of its own);
- every span but the root has its parent in the trace, and every consumer span's parent is the
  producer span of the event it processes (across the broker);
- the spans name what they concern (the order's id) and the components by service name and
  instance.

Prints one line per check and exits non-zero at the first failure. Standard library only, but
for the receiver's own decoder.
"""
import json, os, sys, time, uuid, urllib.error, urllib.parse, urllib.request

base, receiver = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if not ok and detail else ""), flush=True)
    if not ok:
        sys.exit(1)


def call(method, path, token=None, body=None, form=None, traceparent=None, key=None):
    headers = {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = "Bearer " + token
    if traceparent:
        headers["traceparent"] = traceparent
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def eventually(what, condition, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    check(what, False, f"not within {seconds} s")


email = f"traces-{uuid.uuid4().hex[:8]}@example.com"
status, _ = call("POST", "/api/v1/users", body={"email": email, "password": "a traced journey", "name": "Tracy"})
check("register a customer", status == 201, str(status))
status, tokens = call("POST", "/auth/token", form={"grant_type": "password", "client_id": "emporium-web", "username": email, "password": "a traced journey"})
check("log in", status == 200, str(status))
token = tokens["access_token"]
status, catalog = call("GET", "/api/v1/products?perPage=20")
product = next(p for p in catalog["items"] if p.get("stock", 1) > 0)

# Each request continues a span of the client's: (trace id, span id).
creation, creation_parent, payment, payment_parent = (os.urandom(n).hex() for n in (16, 8, 16, 8))
address = {"name": "Tracy", "line1": "1 Trace Road", "city": "Berlin", "postalCode": "10115", "country": "DE"}
status, order = call("POST", "/api/v1/orders", token, body={"items": [{"productId": product["id"], "quantity": 1}], "shippingAddress": address},
                     traceparent=f"00-{creation}-{creation_parent}-01", key=str(uuid.uuid4()))
check("place an order", status == 201, f"{status} {order}")
eventually("the order awaits payment", lambda: call("GET", f"/api/v1/orders/{order['id']}", token)[1]["status"] == "awaiting_payment")
status, paid = call("POST", "/api/v1/payments", token, body={"orderId": order["id"], "paymentMethod": "pm_card_visa"}, traceparent=f"00-{payment}-{payment_parent}-01", key=str(uuid.uuid4()))
check("pay for it", status in (201, 202), f"{status} {paid}")
eventually("the order ships", lambda: call("GET", f"/api/v1/orders/{order['id']}", token)[1]["status"] == "shipped")


def spans_of(trace_id):
    with urllib.request.urlopen(receiver + "/spans", timeout=10) as response:
        return [span for span in json.load(response) if span["traceId"] == trace_id]


def has_emails(trace_id, count):
    spans = spans_of(trace_id)
    sent = [span for span in spans if span["service"] == "notification" and span["kind"] == "client" and span["attributes"].get("peer.service") == "email"]
    # Each process exports on its own schedule: the trace is whole once every span's parent has
    # arrived, but for the root's (the client's own span).
    ids = {span["spanId"] for span in spans}
    whole = len([span for span in spans if span["parentSpanId"] not in ids]) == 1
    return spans if len(sent) >= count and whole else None


# The order-received email belongs to the creation; the receipt and shipping emails to the payment.
created = eventually("the creation's spans arrive, its email among them", lambda: has_emails(creation, 1))
paid_spans = eventually("the payment's spans arrive, its two emails among them", lambda: has_emails(payment, 2))


def services(spans):
    return {span["service"] for span in spans}


def check_tree(name, spans, client_span):
    ids = {span["spanId"]: span for span in spans}
    roots = [span for span in spans if span["parentSpanId"] not in ids]
    check(f"{name}: one root, the gateway's server span, a child of the client's span",
          len(roots) == 1 and roots[0]["service"] == "gateway" and roots[0]["kind"] == "server" and roots[0]["parentSpanId"] == client_span,
          str([(r["service"], r["name"], r["parentSpanId"]) for r in roots]))
    for span in spans:
        if span["kind"] == "consumer":
            parent = ids.get(span["parentSpanId"])
            check(f"{name}: {span['service']}'s '{span['name']}' is a child of the event's producer span",
                  parent is not None and parent["kind"] == "producer" and parent["name"] == "create " + span["attributes"]["messaging.destination.name"],
                  str(parent))
    check(f"{name}: every span names its component's instance", all(span["instance"] for span in spans))


check_tree("creation", created, creation_parent)
check("creation: through the gateway, the Order, Product and Notification services and the shipping API",
      {"gateway", "order", "product", "notification", "shipping"} <= services(created), str(sorted(services(created))))
check("creation: the stock is reserved in a consumer of OrderCreated",
      any(s["service"] == "product" and s["kind"] == "consumer" and s["name"] == "process emporium.order.created.v1" for s in created))
check_tree("payment", paid_spans, payment_parent)
check("payment: through the gateway, the Payment and Order services, the payment gateway, the shipping API and the Notification service",
      {"gateway", "payment", "payment-gateway", "order", "shipping", "notification"} <= services(paid_spans), str(sorted(services(paid_spans))))
check("payment: the order ships in it (the shipment's span calls the shipping API)",
      any(s["service"] == "order" and s["name"] == "ship order" for s in paid_spans)
      and any(s["service"] == "shipping" and s["kind"] == "server" for s in paid_spans))
check("payment: the order consumes PaymentProcessed in the same trace",
      any(s["service"] == "order" and s["name"] == "process emporium.payment.processed.v1" for s in paid_spans))
check("payment: the charge is a client span to the payment gateway, answered by its server span",
      any(s["service"] == "payment" and s["kind"] == "client" and s["attributes"].get("peer.service") == "payment-gateway" for s in paid_spans)
      and any(s["service"] == "payment-gateway" and s["kind"] == "server" for s in paid_spans))
together = services(created) | services(paid_spans)
check("together: at least six components", len(together) >= 6, str(sorted(together)))
check("the order's spans carry its id", any(s["attributes"].get("emporium.order.id") == order["id"] for s in created + paid_spans))
print(f"Traces checked: creation {creation} ({len(created)} spans), payment {payment} ({len(paid_spans)} spans)")
