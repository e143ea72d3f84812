#!/usr/bin/env python3
"""An OpenID provider made with jwcrypto, a JOSE library independent of Emporium's.

Serves discovery and a JWKS (one RS256 and one ES256 key) on 127.0.0.1, prints one JSON line
with its issuer URL and a token signed by each key, then serves until its standard input closes.
Used by IdentityTests/InteropTests.swift; scripts/test installs jwcrypto with pip.
"""
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jwcrypto import jwk, jwt

rsa_key = jwk.JWK.generate(kty="RSA", size=2048, kid="interop-rsa", use="sig", alg="RS256")
ec_key = jwk.JWK.generate(kty="EC", crv="P-256", kid="interop-ec", use="sig", alg="ES256")
keys = jwk.JWKSet()
keys.add(rsa_key)
keys.add(ec_key)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/.well-known/openid-configuration":
            body = json.dumps({"issuer": issuer, "jwks_uri": issuer + "/jwks", "token_endpoint": issuer + "/token"})
        elif self.path == "/jwks":
            body = keys.export(private_keys=False)
        else:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
issuer = "http://127.0.0.1:%d" % server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()


def token(key, alg):
    now = int(time.time())
    claims = {
        "iss": issuer, "sub": "interop-user", "aud": "emporium", "iat": now, "nbf": now, "exp": now + 300,
        "jti": str(uuid.uuid4()), "scope": "openid", "roles": ["customer"], "client_id": "interop",
    }
    signed = jwt.JWT(header={"alg": alg, "kid": key.key_id, "typ": "at+jwt"}, claims=claims)
    signed.make_signed_token(key)
    return signed.serialize()


print(json.dumps({"issuer": issuer, "tokens": {"RS256": token(rsa_key, "RS256"), "ES256": token(ec_key, "ES256")}}), flush=True)
sys.stdin.read()
server.shutdown()
