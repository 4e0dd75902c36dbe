#!/usr/bin/env python3
"""A reference authorizer for examples/saas/gonogo.toml in Python, speaking
gonogo's process protocol (JSON Lines with ids). Standard library only.

    python3 oracle.py                 correct
    python3 oracle.py --bug NAME      with a planted bug (see BUGS)
"""
import json
import os
import re
import sys

IMPLIES = {
    "projects:read": [],
    "projects:write": ["projects:read"],
    "billing:read": [],
    "billing:write": ["billing:read"],
    "members:read": [],
    "members:invite": ["members:read"],
    "admin": ["projects:write", "billing:write", "members:invite"],
    "platform:support": ["projects:read", "billing:read", "members:read"],
}
REQUIRED = {
    "project": {"read": ["projects:read"], "write": ["projects:write"], "delete": ["admin"]},
    "invoice": {"read": ["billing:read"], "pay": ["billing:write", "projects:read"]},
    "member": {"read": ["members:read"], "invite": ["members:invite"], "remove": ["admin"]},
}
CROSS_TENANT = ["platform:support"]
CATALOG = [("unauthenticated", 401), ("unknown_action", 400), ("tenant_mismatch", 404), ("insufficient_scope", 403)]
BUGS = {"ignore-implication", "case-tenant", "reason-by-request-id", "hardcoded-tenant", "stale-cache"}

# stale-cache: an allow is cached per (scopes, action, resource type) and
# served again without looking at either tenant: the failure needs
# the request that filled the cache first.
CACHE = {}


def closure(scopes):
    held, stack = set(), [s for s in scopes if s in IMPLIES]
    while stack:
        s = stack.pop()
        if s not in held:
            held.add(s)
            stack.extend(IMPLIES[s])
    return held


def decide(req, bug):
    p = req["principal"]
    if bug == "stale-cache":
        key = (tuple(sorted(set(p["scopes"]))), req["action"], req["resource"]["type"])
        if key in CACHE:
            return CACHE[key]
        answer = decide(req, None)
        if answer["allow"]:
            CACHE[key] = answer
        return answer
    held = set(p["scopes"]) if bug == "ignore-implication" else closure(p["scopes"])
    causes = set()
    if not p["authenticated"]:
        causes.add("unauthenticated")
    required = REQUIRED.get(req["resource"]["type"], {}).get(req["action"])
    if required is None:
        causes.add("unknown_action")
    elif not all(s in held for s in required):
        causes.add("insufficient_scope")
    a, b = p["tenant"], req["resource"]["tenant"]
    same = a.lower() == b.lower() if bug == "case-tenant" else a == b
    if not same and not any(s in held for s in CROSS_TENANT):
        causes.add("tenant_mismatch")
    if bug == "hardcoded-tenant" and a == "acme" and b == "acme":
        causes.discard("insufficient_scope")
    catalog = CATALOG
    if (bug == "reason-by-request-id" and {"tenant_mismatch", "insufficient_scope"} <= causes
            and re.search("[13579bdf]$", req["context"]["request_id"])):
        catalog = [CATALOG[0], CATALOG[1], CATALOG[3], CATALOG[2]]
    for code, status in catalog:
        if code in causes:
            return {"allow": False, "reason": code, "status": status}
    return {"allow": True}


def main():
    bug = None
    args = sys.argv[1:]
    if args[:1] == ["--bug"] and len(args) == 2 and args[1] in BUGS:
        bug = args[1]
    elif args:
        sys.stderr.write("oracle.py: usage: oracle.py [--bug NAME]\n")
        return 64
    pending = b""
    out = sys.stdout.buffer
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            return 0
        pending += chunk
        *lines, pending = pending.split(b"\n")
        answers = []
        for line in lines:
            if line.strip():
                req = json.loads(line)
                answers.append(json.dumps({"id": req["id"], **decide(req, bug)}, separators=(",", ":")))
        if answers:
            out.write(("\n".join(answers) + "\n").encode())
            out.flush()


if __name__ == "__main__":
    sys.exit(main())
