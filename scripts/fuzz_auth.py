"""Schemathesis hooks for fuzzing `qun serve` (loaded through SCHEMATHESIS_HOOKS by
scripts/fuzz-http.sh).

With QUN_FUZZ_INVITE set, every generated request is signed exactly as `qun sync` signs its
own (Sources/QunSync/Protocol/SyncSigner.swift), so the fuzzer gets past the authentication
middleware and reaches the handlers: the generated method, path, headers and body are kept,
only the team, an unusable replica or time header and the Authorization header are replaced.
Without it, requests go out as generated and must all be refused with 401.

Every answer is appended to QUN_FUZZ_LOG as `METHOD PATH STATUS PASS` (one line per request)
so the script can say how many requests were sent and what came back.
"""

import hashlib
import hmac
import os
import re
import time
from urllib.parse import urlsplit

import requests
import schemathesis

HEX32 = re.compile(r"^[0-9a-f]{32}$")
DIGITS = re.compile(r"^[0-9]{1,16}$")
# The replica the fuzzer claims to be when the generated header is not a usable one.
FUZZ_REPLICA = "f0" * 16


def hkdf_sha256(secret: bytes, salt: bytes, info: bytes, length: int = 32) -> bytes:
    """RFC 5869, as swift-crypto's HKDF<SHA256>.deriveKey."""
    prk = hmac.new(salt, secret, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


class QunSigner(requests.auth.AuthBase):
    """Signs a prepared request (its body as it will be sent) with the team key."""

    def __init__(self, invite: str):
        parts = invite.strip().split(":", 3)
        if len(parts) < 3 or parts[0] != "qun1":
            raise ValueError("QUN_FUZZ_INVITE is not a qun invite (qun1:TEAM:SECRET[:URL])")
        self.team = parts[1]
        self.key = hkdf_sha256(bytes.fromhex(parts[2]), bytes.fromhex(self.team), b"qun http v1")

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, (bytes, bytearray)):
            body = b"".join(body)
            request.body = body
        replica = request.headers.get("X-Qun-Replica", "")
        if not HEX32.match(replica):
            replica = FUZZ_REPLICA
        stamp = request.headers.get("X-Qun-Time", "")
        if not DIGITS.match(stamp):
            stamp = str(int(time.time() * 1000))
        path = urlsplit(request.url).path
        text = "\n".join([request.method.upper(), path, self.team, replica, stamp, hashlib.sha256(body).hexdigest()])
        mac = hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()
        request.headers["X-Qun-Team"] = self.team
        request.headers["X-Qun-Replica"] = replica
        request.headers["X-Qun-Time"] = stamp
        request.headers["Authorization"] = "Qun-HMAC-SHA256 " + mac
        return request


_INVITE = os.environ.get("QUN_FUZZ_INVITE", "")
SIGNER = QunSigner(_INVITE) if _INVITE else None
LOG = os.environ.get("QUN_FUZZ_LOG")
PASS = "signed" if SIGNER is not None else "unsigned"


@schemathesis.serializer("application/x-qun-batch")
def qun_batch(ctx, value):
    """Change batches are binary; half of the generated bodies get the QCB1 magic so that the
    decoder is exercised past its first four bytes."""
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    elif hasattr(value, "data") and isinstance(value.data, (bytes, bytearray)):
        data = bytes(value.data)
    else:
        data = str(value).encode("utf-8", errors="ignore")
    return b"QCB1" + data if len(data) % 2 else data


@schemathesis.hook
def before_call(context, case, kwargs):
    if SIGNER is not None:
        kwargs["auth"] = SIGNER


@schemathesis.hook
def after_call(context, case, response):
    if LOG:
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(f"{case.method.upper()} {case.path} {response.status_code} {PASS}\n")
