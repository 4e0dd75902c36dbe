#!/usr/bin/env node
// A reference authorizer for examples/saas/gonogo.toml, speaking gonogo's
// process protocol: one JSON request per line on stdin (with an "id"), one
// decision per line on stdout (same "id", same order). Plain node, no packages.
//
//   node oracle.js                      correct
//   node oracle.js --bug NAME           with a planted bug (see BUGS below)
//   node oracle.js --fault KIND:N       misbehave after N answers (tests)
//   node oracle.js --pidfile PATH       write the process id to PATH first
"use strict";

const IMPLIES = new Map(Object.entries({
  "projects:read": [],
  "projects:write": ["projects:read"],
  "billing:read": [],
  "billing:write": ["billing:read"],
  "members:read": [],
  "members:invite": ["members:read"],
  "admin": ["projects:write", "billing:write", "members:invite"],
  "platform:support": ["projects:read", "billing:read", "members:read"],
}));
const REQUIRED = new Map([
  ["project", new Map([["read", ["projects:read"]], ["write", ["projects:write"]], ["delete", ["admin"]]])],
  ["invoice", new Map([["read", ["billing:read"]], ["pay", ["billing:write", "projects:read"]]])],
  ["member", new Map([["read", ["members:read"]], ["invite", ["members:invite"]], ["remove", ["admin"]]])],
]);
const CROSS_TENANT = ["platform:support"];
const CATALOG = [["unauthenticated", 401], ["unknown_action", 400], ["tenant_mismatch", 404], ["insufficient_scope", 403]];

// Planted bugs, each of a kind real authorizers have.
const BUGS = new Set([
  "ignore-implication",        // raw scope list instead of its closure (monotonicity)
  "prefix-tenant",             // tenants compared by prefix (isolation)
  "case-tenant",               // tenants compared case-insensitively (isolation)
  "skip-tenant-check-on-read", // no tenant check for `read` (isolation)
  "reason-by-scope-order",     // reason picked by the first listed scope (determinism)
  "reason-by-request-id",      // reason picked by the request id (determinism)
  "flaky-status",              // every 5th denial answers 500 (determinism)
  "pay-without-projects-read", // `invoice pay` forgets `projects:read` (conformance)
  "hardcoded-tenant",          // tenant `acme` skips scope checks at home (symmetry)
]);

const args = process.argv.slice(2);
let bug = null, fault = null, faultAfter = 0;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--bug") bug = args[++i];
  else if (args[i] === "--fault") { const [k, n] = args[++i].split(":"); fault = k; faultAfter = Number(n || 0); }
  else if (args[i] === "--pidfile") require("fs").writeFileSync(args[++i], String(process.pid));
  else { process.stderr.write(`oracle: unknown argument ${args[i]}\n`); process.exit(64); }
}
if (bug !== null && !BUGS.has(bug)) { process.stderr.write(`oracle: unknown bug ${bug}\n`); process.exit(64); }

function closure(scopes) {
  const held = new Set();
  const stack = scopes.filter((s) => IMPLIES.has(s));
  while (stack.length) {
    const s = stack.pop();
    if (held.has(s)) continue;
    held.add(s);
    for (const t of IMPLIES.get(s)) stack.push(t);
  }
  return held;
}

function sameTenant(a, b, action) {
  if (bug === "prefix-tenant") return a.startsWith(b) || b.startsWith(a);
  if (bug === "case-tenant") return a.toLowerCase() === b.toLowerCase();
  if (bug === "skip-tenant-check-on-read" && action === "read") return true;
  return a === b;
}

let denials = 0;
function decide(req) {
  const p = req.principal;
  const held = bug === "ignore-implication" ? new Set(p.scopes) : closure(p.scopes);
  const causes = new Set();
  if (!p.authenticated) causes.add("unauthenticated");
  const actions = REQUIRED.get(req.resource.type);
  let required = actions && actions.get(req.action);
  if (required && bug === "pay-without-projects-read" && req.resource.type === "invoice" && req.action === "pay") required = ["billing:write"];
  if (!required) causes.add("unknown_action");
  else if (!required.every((s) => held.has(s))) causes.add("insufficient_scope");
  if (!sameTenant(p.tenant, req.resource.tenant, req.action) && !CROSS_TENANT.some((s) => held.has(s))) causes.add("tenant_mismatch");
  if (bug === "hardcoded-tenant" && p.tenant === "acme" && req.resource.tenant === "acme") causes.delete("insufficient_scope");
  let catalog = CATALOG;
  if (causes.has("tenant_mismatch") && causes.has("insufficient_scope")) {
    const flip = (bug === "reason-by-scope-order" && p.scopes.length > 0 && p.scopes[0] < "m")
      || (bug === "reason-by-request-id" && /[13579bdf]$/.test(req.context.request_id));
    if (flip) catalog = [CATALOG[0], CATALOG[1], CATALOG[3], CATALOG[2]];
  }
  for (const [code, status] of catalog) {
    if (causes.has(code)) {
      denials++;
      if (bug === "flaky-status" && denials % 5 === 0) return { allow: false, reason: code, status: 500 };
      return { allow: false, reason: code, status };
    }
  }
  return { allow: true };
}

let answered = 0, pending = "", hung = false;
function answer(line) {
  const req = JSON.parse(line);
  if (fault && answered >= faultAfter) {
    switch (fault) {
      case "exit": process.exit(3);
      case "crash": throw new Error("oracle crashed on purpose");
      case "hang": hung = true; setInterval(() => {}, 1 << 30); return "";
      case "garbage": return "this is not a decision\n";
      case "wrong-id": return JSON.stringify({ id: req.id + 1, ...decide(req) }) + "\n";
    }
  }
  answered++;
  return JSON.stringify({ id: req.id, ...decide(req) }) + "\n";
}

process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  if (hung) return;
  pending += chunk;
  const lines = pending.split("\n");
  pending = lines.pop();
  let out = "";
  for (const line of lines) {
    if (line.trim() === "") continue;
    out += answer(line);
    if (hung) break;
  }
  if (out) process.stdout.write(out);
});
process.stdin.on("end", () => { if (!hung) process.exit(0); });
