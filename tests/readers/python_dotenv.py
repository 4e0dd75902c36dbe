#!/usr/bin/env python3
"""Ground-truth reader: what python-dotenv's load_dotenv(path) would put into os.environ.

Usage: python3 python_dotenv.py FILE...

Prints one JSON line per file, in argument order:
  {"file": F, "ok": true, "values": [[key, value_or_null], ...], "warnings": [...]}
  {"file": F, "ok": false, "error": "ExcType: message", "warnings": [...]}

* values: DotEnv(path, interpolate=True, override=False, encoding="utf-8").dict(),
  which is exactly the mapping load_dotenv() iterates. Order = first occurrence
  of each key; value = last assignment (dict semantics). A key written without
  "=" (e.g. a bare `A` or `export A`) has value None -> null; load_dotenv does
  NOT set such keys.
* The parse runs with os.environ emptied (saved and restored around each file),
  so ${VAR} resolves only from the file itself.
* load_dotenv(path) is then really called in that empty environment and the
  resulting os.environ is checked against the non-null values; if load_dotenv
  raises (e.g. NUL in a value, "=" in a quoted key, invalid UTF-8) the file is
  reported as ok:false.
* The file is opened by the library itself (path is passed, encoding utf-8, text
  mode => universal newlines: \r\n and lone \r become \n; a UTF-8 BOM is NOT
  stripped).
* python-dotenv's "could not parse statement starting at line N" warnings are
  captured into "warnings" (never printed to stdout or stderr).
"""
import json
import logging
import os
import sys

try:
    import dotenv
    from dotenv.main import DotEnv, load_dotenv
except Exception as exc:  # pragma: no cover - environment problem
    sys.stderr.write("python_dotenv.py: cannot import python-dotenv: %r\n" % (exc,))
    sys.exit(2)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.messages = []

    def emit(self, record):
        try:
            self.messages.append(record.getMessage())
        except Exception:  # pragma: no cover
            self.messages.append(str(record.msg))


def _read_one(path):
    handler = _Collect()
    log = logging.getLogger("dotenv.main")
    old_propagate = log.propagate
    old_level = log.level
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.DEBUG)
    saved = dict(os.environ)
    result = {"file": path}
    try:
        os.environ.clear()
        try:
            if not os.path.isfile(path):
                # python-dotenv itself silently treats a missing file as empty.
                raise FileNotFoundError(
                    "no such file (python-dotenv would silently load nothing)"
                )
            mapping = DotEnv(
                path, interpolate=True, override=False, encoding="utf-8"
            ).dict()
            values = [[k, v] for k, v in mapping.items()]
            warnings = list(handler.messages)  # load_dotenv below re-parses
            # Now do the real thing and compare.
            os.environ.clear()
            load_dotenv(path, override=False, interpolate=True, encoding="utf-8")
            env_now = list(os.environ.items())
            expected = [(k, v) for k, v in values if v is not None]
            handler.messages = warnings
            result["ok"] = True
            result["values"] = values
            if env_now != expected:
                # Should not happen; surfaced so a test can notice.
                result["environ_mismatch"] = [[k, v] for k, v in env_now]
        except Exception as exc:
            result["ok"] = False
            result["error"] = "%s: %s" % (type(exc).__name__, exc)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        log.removeHandler(handler)
        log.propagate = old_propagate
        log.setLevel(old_level)
    result["warnings"] = handler.messages
    return result


def main(argv):
    if not argv:
        sys.stderr.write("usage: python3 python_dotenv.py FILE...\n")
        return 2
    for path in argv:
        line = json.dumps(_read_one(path), ensure_ascii=True)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
