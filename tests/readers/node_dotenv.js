#!/usr/bin/env node
// Ground-truth reader for the npm packages `dotenv` and `@dotenvx/dotenvx`.
//
// Usage: GONOGO_NODE_MODULES=/tmp/gonogo-node/node_modules node node_dotenv.js FILE...
//    or: NODE_PATH=/tmp/gonogo-node/node_modules node node_dotenv.js FILE...
// (without either, /tmp/gonogo-node/node_modules is tried last).
//
// Prints one JSON line per file, in argument order:
//   {"file": F,
//    "node-dotenv":      {key: value, ...} | {"error": "..."},
//    "node-dotenv-fast": {key: value, ...} | {"error": "..."},   // extra, see below
//    "dotenvx":          {key: value, ...} | {"error": "..."},
//    "warnings": [...],               // anything dotenvx tried to log (only if any)
//    "dotenvx_commands": [...]}       // $(...) commands dotenvx tried to run (only if any)
//
// node-dotenv: exactly what dotenv.config({path: F}) does with an empty
//   processEnv: fs.readFileSync(F, {encoding: 'utf8'}) (a string: invalid UTF-8
//   becomes U+FFFD, a UTF-8 BOM is NOT stripped) then dotenv.parse(str, {fast}).
//   config() uses the classic regex parser unless options.fast or the env var
//   DOTENV_FAST / DOTENV_CONFIG_FAST is truthy; "node-dotenv" is always the
//   classic parser (what config() does by default) and "node-dotenv-fast" is
//   the alternative hand-written parser (dotenv >= 18) for reference.
// dotenvx: what dotenvx.config({path: F}) feeds its parser: the file is decoded
//   as utf16le if it starts with FF FE, else utf8 (BOM kept), then
//   dotenvx.parse(src, {processEnv: {}}) so that ${VAR} and existing-variable
//   precedence never consult process.env.
//   Command substitution `$(cmd)` cannot be switched off by any dotenvx option;
//   this script replaces child_process.execSync (before dotenvx is loaded) with
//   a stub that records the command and throws, which dotenvx swallows (the
//   value keeps its literal `$(cmd)` text, then normal ${} expansion runs).
//   Set GONOGO_DOTENVX_EXEC=1 to let dotenvx really execute commands.
//
// Caveat: results are JS objects, so integer-like keys ("1", "42") are listed
// first in ascending numeric order instead of file order, and a key named
// "__proto__" is silently dropped by both libraries. Duplicate keys: the
// object keeps the FIRST position and the LAST value.
'use strict'

const fs = require('fs')
const path = require('path')
const childProcess = require('child_process')

function loadModule (name) {
  const tried = []
  const roots = []
  if (process.env.GONOGO_NODE_MODULES) roots.push(process.env.GONOGO_NODE_MODULES)
  for (const root of roots) {
    try {
      return require(path.join(root, name))
    } catch (e) {
      tried.push(`${path.join(root, name)}: ${e.message}`)
    }
  }
  try {
    return require(name) // NODE_PATH / normal resolution
  } catch (e) {
    tried.push(`${name}: ${e.message}`)
  }
  try {
    return require(path.join('/tmp/gonogo-node/node_modules', name))
  } catch (e) {
    tried.push(`/tmp/gonogo-node/node_modules/${name}: ${e.message}`)
  }
  process.stderr.write(`node_dotenv.js: cannot load ${name}:\n  ${tried.join('\n  ')}\n`)
  process.exit(2)
}

// --- neutralise dotenvx command substitution (must precede loading dotenvx) ---
const realExecSync = childProcess.execSync
let commandLog = []
childProcess.execSync = function (cmd, opts) {
  commandLog.push(String(cmd))
  if (process.env.GONOGO_DOTENVX_EXEC === '1') return realExecSync.call(this, cmd, opts)
  throw new Error('command substitution disabled by node_dotenv.js')
}

const dotenv = loadModule('dotenv')
const dotenvx = loadModule('@dotenvx/dotenvx')

function errText (e) {
  if (e && e.message) return e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message
  return String(e)
}

// Capture console output produced while a library runs (dotenvx logs to console).
function captured (fn, sink) {
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug }
  const grab = (...args) => { sink.push(args.map(String).join(' ')) }
  console.log = console.error = console.warn = console.info = console.debug = grab
  try {
    return fn()
  } finally {
    Object.assign(console, saved)
  }
}

function nodeDotenv (file, fast) {
  try {
    // identical to dotenv's configDotenv(): fs.readFileSync(path, { encoding: 'utf8' })
    const src = fs.readFileSync(file, { encoding: 'utf8' })
    const parsed = dotenv.parse(src, { fast })
    const out = {}
    dotenv.populate(out, parsed, {}) // what lands in an empty processEnv
    return out
  } catch (e) {
    return { error: errText(e) }
  }
}

function dotenvxRead (file, warnings) {
  try {
    // identical to dotenvx's detectEncodingSync + fsx.readFileXSync
    const buf = fs.readFileSync(file)
    const encoding = (buf.length >= 2 && buf[0] === 0xFF && buf[1] === 0xFE) ? 'utf16le' : 'utf8'
    const src = fs.readFileSync(file, { encoding })
    return captured(() => dotenvx.parse(src, { processEnv: {} }), warnings)
  } catch (e) {
    return { error: errText(e) }
  }
}

// JSON with every non-ASCII UTF-16 unit escaped (\uXXXX), like Python's
// ensure_ascii: output is pure ASCII, and U+2028/U+2029/U+0085 never appear raw.
function asciiJson (value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g,
    c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

function main (argv) {
  if (argv.length === 0) {
    process.stderr.write('usage: node node_dotenv.js FILE...\n')
    return 2
  }
  for (const file of argv) {
    const warnings = []
    commandLog = []
    const rec = { file }
    rec['node-dotenv'] = nodeDotenv(file, false)
    rec['node-dotenv-fast'] = nodeDotenv(file, true)
    rec.dotenvx = dotenvxRead(file, warnings)
    if (warnings.length) rec.warnings = warnings
    if (commandLog.length) rec.dotenvx_commands = commandLog
    process.stdout.write(asciiJson(rec) + '\n')
  }
  return 0
}

process.exitCode = main(process.argv.slice(2))
