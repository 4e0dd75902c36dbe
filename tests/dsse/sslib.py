#!/usr/bin/env python3
"""DSSE the way securesystemslib (in-toto's library) does it, for the
interop tests in tests/dsse_interop.rs.

    sslib.py sign PRIVATE_PEM PAYLOAD OUT [--urlsafe] [--no-keyid]
    sslib.py verify PUBLIC_PEM ENVELOPE        exit 0 if it verifies, else 1
"""
import base64
import json
import sys

from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
    load_pem_public_key,
)
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def sign(private, payload, out, flags):
    key = load_pem_private_key(open(private, "rb").read(), None)
    env = Envelope(payload=open(payload, "rb").read(), payload_type=PAYLOAD_TYPE, signatures={})
    env.sign(CryptoSigner(key))
    d = env.to_dict()
    if "--urlsafe" in flags:
        d["payload"] = base64.urlsafe_b64encode(base64.b64decode(d["payload"])).decode().rstrip("=")
        for s in d["signatures"]:
            s["sig"] = base64.urlsafe_b64encode(base64.b64decode(s["sig"])).decode().rstrip("=")
    if "--no-keyid" in flags:
        for s in d["signatures"]:
            del s["keyid"]
    open(out, "w").write(json.dumps(d))


def verify(public, envelope):
    key = SSlibKey.from_crypto(load_pem_public_key(open(public, "rb").read()))
    d = json.load(open(envelope))
    # securesystemslib matches signatures to keys by key id (an unauthenticated
    # hint in DSSE): give the signatures this key's id, as a verifier holding
    # one key does.
    for s in d["signatures"]:
        s["keyid"] = key.keyid
    env = Envelope.from_dict(d)
    try:
        env.verify([key], 1)
    except Exception as e:  # VerificationError and friends
        print(f"does not verify: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sign":
        sign(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif cmd == "verify":
        sys.exit(verify(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(2)
