#!/usr/bin/env python3
"""Checkout load for fault drills: scripts/load.py BASE_URL SECONDS [CUSTOMERS]

Customers register, then order a random in-stock product, wait for its stock, and pay — over and
over until SECONDS have passed. Failures (a crashed component, a 503 during a drill) are counted,
not fatal: the drill's consistency check judges the outcome. Prints what was done.
"""
import json, random, sys, threading, time, urllib.error, urllib.parse, urllib.request, uuid

base, seconds = sys.argv[1].rstrip("/"), float(sys.argv[2])
customers = int(sys.argv[3]) if len(sys.argv) > 3 else 6
counts, lock = {}, threading.Lock()


def count(what):
    with lock:
        counts[what] = counts.get(what, 0) + 1


def call(method, path, token=None, body=None, form=None, key=None):
    headers, data = {}, None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = "Bearer " + token
    if key:
        headers["Idempotency-Key"] = key
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method=method, headers=headers), timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None
    except Exception:
        return 0, None


def log_in(email, deadline):
    """Registers (once; a repeat is a harmless 409) and logs in, until it works or time is up."""
    while time.time() < deadline:
        call("POST", "/api/v1/users", body={"email": email, "password": "load test password", "name": "Load"})
        status, answer = call("POST", "/auth/token", form={"grant_type": "password", "client_id": "emporium-web", "username": email, "password": "load test password"})
        if status == 200:
            return answer["access_token"]
        time.sleep(0.5)
    return None


def customer(deadline):
    email = f"load-{uuid.uuid4().hex[:10]}@example.com"
    token = log_in(email, deadline)
    address = {"name": "Load", "line1": "1 Load Road", "city": "Berlin", "postalCode": "10115", "country": "DE"}
    while token and time.time() < deadline:
        status, page = call("GET", "/api/v1/products?perPage=50")
        if status != 200:
            count("catalog unavailable"); time.sleep(0.2); continue
        stocked = [p for p in page["items"] if p["stock"] > 0]
        if not stocked:
            count("sold out"); time.sleep(0.5); continue
        status, order = call("POST", "/api/v1/orders", token, body={"items": [{"productId": random.choice(stocked)["id"], "quantity": 1}], "shippingAddress": address}, key=str(uuid.uuid4()))
        if status == 401:
            # A restarted platform whose provider could not keep its port has a new issuer: log in again.
            count("logged in again"); token = log_in(email, deadline); continue
        if status != 201:
            count(f"order refused {status}"); time.sleep(0.2); continue
        count("orders placed")
        for _ in range(50):
            status, seen = call("GET", f"/api/v1/orders/{order['id']}", token)
            if status == 200 and seen["status"] != "pending":
                break
            time.sleep(0.1)
        if status != 200 or seen["status"] != "awaiting_payment":
            count("not payable"); continue
        status, _ = call("POST", "/api/v1/payments", token, body={"orderId": order["id"], "paymentMethod": random.choice(["pm_card_visa"] * 4 + ["pm_card_chargeDeclined"])}, key=str(uuid.uuid4()))
        count({201: "paid", 402: "declined"}.get(status, f"payment failed {status}"))


deadline = time.time() + seconds
threads = [threading.Thread(target=customer, args=(deadline,)) for _ in range(customers)]
for t in threads: t.start()
for t in threads: t.join()
print("load: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
