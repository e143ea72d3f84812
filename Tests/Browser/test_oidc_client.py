"""An independent OpenID Connect client (PyPI authlib) against the provider, through the gateway.

No browser: the sign-in form is read and posted as a browser would, and authlib does the rest,
the code flow with PKCE (S256) and the ID token's validation against the provider's published
keys. Run by scripts/browser with the other tests of the public edge.
"""
import html.parser
import os
import unittest
import urllib.parse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

BASE = os.environ.get("EMPORIUM_URL", "http://127.0.0.1:8080").rstrip("/")
EMAIL = os.environ.get("EMPORIUM_ADMIN_EMAIL", "admin@demo.emporium")
PASSWORD = os.environ.get("EMPORIUM_ADMIN_PASSWORD", "emporium-demo")
CLIENT = "emporium-web"
# A native app's loopback redirect (RFC 8252): any port of the registered one is accepted.
REDIRECT = "http://127.0.0.1:53682/callback"


class HiddenFields(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value", "")


class OIDCClientTests(unittest.TestCase):
    def setUp(self):
        self.discovery = requests.get(BASE + "/auth/.well-known/openid-configuration", timeout=10).json()

    def sign_in(self, client, verifier, nonce):
        """The authorization request, the provider's form posted, and the redirect it answers."""
        uri, _state = client.create_authorization_url(self.discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
        browser = requests.Session()
        page = browser.get(uri, timeout=10)
        self.assertEqual(page.status_code, 200, page.text)
        form = HiddenFields()
        form.feed(page.text)
        answer = browser.post(self.discovery["authorization_endpoint"], data=dict(form.fields, email=EMAIL, password=PASSWORD),
                              allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302, answer.text)
        location = answer.headers["Location"]
        self.assertTrue(location.startswith(REDIRECT + "?"), location)
        return location

    def client(self):
        return OAuth2Session(CLIENT, redirect_uri=REDIRECT, scope="openid profile", code_challenge_method="S256")

    def test_the_discovery_document_lists_the_code_flow(self):
        for key in ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "jwks_uri"]:
            self.assertIn(key, self.discovery)
        self.assertEqual(self.discovery["code_challenge_methods_supported"], ["S256"])
        self.assertIn("code", self.discovery["response_types_supported"])
        self.assertTrue(self.discovery["authorization_endpoint"].startswith(BASE + "/auth/"), "browsers go through the gateway")

    def test_the_code_flow_with_pkce_gives_an_id_token_that_validates(self):
        client, verifier, nonce = self.client(), generate_token(64), generate_token(20)
        location = self.sign_in(client, verifier, nonce)
        token = client.fetch_token(self.discovery["token_endpoint"], authorization_response=location, code_verifier=verifier)
        keys = JsonWebKey.import_key_set(requests.get(self.discovery["jwks_uri"], timeout=10).json())
        claims = jwt.decode(
            token["id_token"], keys, claims_cls=CodeIDToken,
            claims_options={"iss": {"essential": True, "value": self.discovery["issuer"]}},
            claims_params={"nonce": nonce, "client_id": CLIENT},
        )
        claims.validate()
        self.assertEqual(claims["email"], EMAIL)
        self.assertIn("auth_time", claims)
        userinfo = requests.get(self.discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]}, timeout=10)
        self.assertEqual(userinfo.json()["sub"], claims["sub"])

    def test_a_code_works_once_and_only_with_its_verifier(self):
        client, verifier, nonce = self.client(), generate_token(64), generate_token(20)
        code = urllib.parse.parse_qs(urllib.parse.urlparse(self.sign_in(client, verifier, nonce)).query)["code"][0]

        def redeem(code_verifier):
            return requests.post(self.discovery["token_endpoint"], timeout=10, data={
                "grant_type": "authorization_code", "client_id": CLIENT, "code": code, "redirect_uri": REDIRECT,
                "code_verifier": code_verifier})

        wrong = redeem(generate_token(64))
        self.assertEqual(wrong.status_code, 400)
        self.assertEqual(wrong.json()["error"], "invalid_grant")
        # The failed attempt used the code up: a stolen code and a guessed verifier get nothing, and neither does the owner.
        again = redeem(verifier)
        self.assertEqual(again.json()["error"], "invalid_grant")

    def test_a_request_without_pkce_is_sent_back_with_an_error(self):
        query = urllib.parse.urlencode({"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "scope": "openid", "state": "s1"})
        answer = requests.get(self.discovery["authorization_endpoint"] + "?" + query, allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302)
        returned = urllib.parse.parse_qs(urllib.parse.urlparse(answer.headers["Location"]).query)
        self.assertEqual(returned["error"], ["invalid_request"])
        self.assertEqual(returned["state"], ["s1"])


if __name__ == "__main__":
    unittest.main()
