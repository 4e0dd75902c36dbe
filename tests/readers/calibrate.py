#!/usr/bin/env python3
"""Regenerate the case tables of CALIBRATION.md.

Usage: GONOGO_NODE_MODULES=/tmp/gonogo-node/node_modules \
       python3 calibrate.py [OUTDIR=/tmp/calib] > tables.md

Writes one small env file per case into OUTDIR, runs python_dotenv.py and
node_dotenv.js on all of them, and prints markdown tables of exact results.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/calib"

LONG = "x" * 100_000

# (section, case id, file content as str (encoded utf-8) or bytes)
CASES = [
    # --- quotes inside unquoted values / unbalanced quotes
    ("quotes", "q1", "A=pa'ss\nB=true\n"),
    ("quotes", "q2", 'A=pa"ss\nB=true\n'),
    ("quotes", "q3", "A=pa'ss\nB=true\nC=x'y\nD=4\n"),
    ("quotes", "q4", 'A=pa"ss\nB=true\nC=x"y\nD=4\n'),
    ("quotes", "q5", "A='pass\nB=true\nC=x'\nD=4\n"),
    ("quotes", "q6", 'A="pass\nB=true\nC=x"\nD=4\n'),
    ("quotes", "q7", 'A="pass\nB=true\n'),
    ("quotes", "q8", "A='pass\nB=true\n"),
    ("quotes", "q9", "A=`pass\nB=true\nC=x`\nD=4\n"),
    ("quotes", "q10", 'A="pass\nB=true\nC="x"\nD=4\n'),
    ("quotes", "q11", "A='pass\nB=true\nC='x'\nD=4\n"),
    ("quotes", "q12", 'A="x\'\nB=2\n'),
    # --- line endings
    ("eol", "e1", "A=1\r\nB=2\r\n"),
    ("eol", "e2", "A=1\rB=2\r"),
    ("eol", "e3", "A=1\u2028B=2\n"),
    ("eol", "e4", "A=1\u2029B=2\n"),
    ("eol", "e5", "A=1\u0085B=2\n"),
    ("eol", "e6", "A=1\fB=2\n"),
    ("eol", "e7", "A=1\vB=2\n"),
    ("eol", "e8", "A=1"),
    ("eol", "e9", 'A="x\r\ny"\r\nB=2\r\n'),
    ("eol", "e10", 'A="x\u2028y"\nB=2\n'),
    ("eol", "e11", "A=a\x00b\nB=2\n"),
    ("eol", "e12", "A=1\n\n\n   \nB=2\n"),
    ("eol", "e13", "A=x\u2028 #c\nB=2\n"),
    ("eol", "e14", 'A="x\ry"\nB=2\n'),
    ("eol", "e15", "A='x\r\ny'\r\nB=2\r\n"),
    ("eol", "e16", "A=1\r\r\nB=2\n"),
    # --- encoding / BOM
    ("bom", "b1", b"\xef\xbb\xbfA=1\nB=2\n"),
    ("bom", "b2", b"\xef\xbb\xbfexport A=1\n"),
    ("bom", "b3", b"\xef\xbb\xbf# c\nA=1\n"),
    ("bom", "b4", b"A=\xff\nB=2\n"),
    ("bom", "b5", "\ufeffA=1\n".encode("utf-16-le")),
    ("bom", "b6", b"A=\xef\xbb\xbf1\n"),
    ("bom", "b7", "A=\u00e9\u65e5\U0001F600\n"),
    # --- escapes
    ("esc", "x1", "A='fa\\lse'\n"),
    ("esc", "x2", 'A="fa\\lse"\n'),
    ("esc", "x3", 'A="a\\nb"\n'),
    ("esc", "x4", "A='a\\nb'\n"),
    ("esc", "x5", "A=a\\nb\n"),
    ("esc", "x6", 'A="\\x41"\n'),
    ("esc", "x7", 'A="\\u0041"\n'),
    ("esc", "x8", "A='it\\'s'\n"),
    ("esc", "x9", 'A="say \\"hi\\""\n'),
    ("esc", "x10", 'A="a\\tb"\n'),
    ("esc", "x11", 'A="a\\\\b"\n'),
    ("esc", "x12", 'A="a\\rb"\n'),
    ("esc", "x13", "A='a\\\\b'\n"),
    ("esc", "x14", 'A="\\101"\n'),
    ("esc", "x15", 'A="a\\\\nb"\n'),
    ("esc", "x16", 'A="a\\"\nB=1\n'),
    ("esc", "x17", 'A="\\$B"\n'),
    ("esc", "x18", "A=it\\'s\n"),
    ("esc", "x19", "A=`a\\nb`\n"),
    ("esc", "x20", 'A="a\\bb\\fc\\vd\\ae"\n'),
    # --- value forms
    ("val", "v1", 'A=fal""se\n'),
    ("val", "v2", "A=fal''se\n"),
    ("val", "v3", 'A="fal"se\n'),
    ("val", "v4", "A='x'y\n"),
    ("val", "v5", 'A="x" # c\n'),
    ("val", "v6", 'A="x"#c\n'),
    ("val", "v7", "A=x #c\n"),
    ("val", "v8", "A=x#c\n"),
    ("val", "v9", "A= false\n"),
    ("val", "v10", "A=false \n"),
    ("val", "v11", "A=\\ false\n"),
    ("val", "v12", "A=a b c\n"),
    ("val", "v13", "A = b\n"),
    ("val", "v14", "A:b\n"),
    ("val", "v15", "A: b\n"),
    ("val", "v16", "A=x\t#c\n"),
    ("val", "v17", "A=#x\n"),
    ("val", "v18", "A= #x\n"),
    ("val", "v19", "A=x # c # d\n"),
    ("val", "v20", "A='x' # c\n"),
    ("val", "v21", "A=x\t\n"),
    ("val", "v22", 'A=" x "\n'),
    ("val", "v23", "A=b=c\n"),
    ("val", "v24", "A==b\n"),
    ("val", "v25", 'A="x"y"z"\n'),
    ("val", "v26", "A=\"x\" 'y'\n"),
    ("val", "v27", 'A=  "x"  \n'),
    ("val", "v28", "A=\"'x'\"\n"),
    ("val", "v29", "A=x\"\n"),
    ("val", "v30", "A=`x`\n"),
    ("val", "v31", "A=\u00a0x\u00a0\n"),
    ("val", "v32", "A=x \u00a0#c\n"),
    ("val", "v33", 'A=""\nB=\'\'\n'),
    ("val", "v34", "A=a\tb\n"),
    ("val", "v35", "A=   \n"),
    ("val", "v36", 'A="x"  \t\n'),
    # --- interpolation (B=x defined first unless noted)
    ("interp", "i1", "B=x\nA=${B}\n"),
    ("interp", "i2", "B=x\nA=$B\n"),
    ("interp", "i3", "B=x\nA='${B}'\n"),
    ("interp", "i4", 'B=x\nA="${B}"\n'),
    ("interp", "i5", "B=x\nA=${B:-d}\n"),
    ("interp", "i6", "B=x\nA=${C:-d}\n"),
    ("interp", "i7", "B=x\nA=${B-d}\n"),
    ("interp", "i8", "B=x\nA=${C-d}\n"),
    ("interp", "i9", "B=x\nA=$$B\n"),
    ("interp", "i10", "B=x\nA=\\${B}\n"),
    ("interp", "i11", "B=x\nA=${B}x\n"),
    ("interp", "i12", "B=x\nA=$Bx\n"),
    ("interp", "i13", "A=${A}\n"),
    ("interp", "i14", "A=1\nA=${A}2\n"),
    ("interp", "i15", "A=${Z}\nZ=1\n"),
    ("interp", "i16", "B=x\nA=${B:+y}\n"),
    ("interp", "i17", "B=x\nA=${ B }\n"),
    ("interp", "i18", "B=x\nA=${B\n"),
    ("interp", "i19", 'B=x\nA="\\${B}"\n'),
    ("interp", "i20", "A=$\nB=${}\n"),
    ("interp", "i21", "B=\nA=${B:-d}\nC=${B-d}\n"),
    ("interp", "i22", "B=x\nA=${C:-${B}}\n"),
    ("interp", "i23", "A=${toString}\n"),
    ("interp", "i24", "A=$(echo hi)\n"),
    ("interp", "i25", "B=x\nA=${C}\n"),
    ("interp", "i26", "A=${B}\nB=${A}\n"),
    ("interp", "i27", "B\nA=${B:-d}\n"),
    ("interp", "i28", "B=x\nA=${B:?err}\n"),
    ("interp", "i29", "B=$\nA=${B}{C}\n"),
    ("interp", "i30", "B=${C}\nC=${B}\nA=$B-$C\n"),
    # --- keys
    ("key", "k1", "export A=1\n"),
    ("key", "k2", "export  A=1\n"),
    ("key", "k3", "export\tA=1\n"),
    ("key", "k4", "exportA=1\n"),
    ("key", "k5", "export A\n"),
    ("key", "k6", "A\nB=2\n"),
    ("key", "k7", "A=\n"),
    ("key", "k8", "=x\nB=2\n"),
    ("key", "k9", "A.B=1\n"),
    ("key", "k10", "A-B=1\n"),
    ("key", "k11", "1A=1\n"),
    ("key", "k12", "A B=1\nC=2\n"),
    ("key", "k13", "a=1\n"),
    ("key", "k14", "\u00c4\u00d6=1\nB=2\n"),
    ("key", "k15", "'A'=1\n"),
    ("key", "k16", '"A"=1\n'),
    ("key", "k17", "export=1\n"),
    ("key", "k18", "A$=1\nA/B=2\n"),
    ("key", "k19", "Z=1\n2=b\n1=a\n"),
    ("key", "k20", "__proto__=1\nB=2\n"),
    ("key", "k21", "'A=B'=1\n"),
    ("key", "k22", "export export A=1\n"),
    ("key", "k23", "EXPORT A=1\n"),
    ("key", "k24", "A\t B=1\n"),
    # --- duplicates
    ("dup", "d1", "A=1\nA=2\n"),
    ("dup", "d2", "A=\nA=2\n"),
    ("dup", "d3", "A=1\nA=\n"),
    ("dup", "d4", "A=1\nB=${A}\nA=2\nC=${A}\n"),
    ("dup", "d5", "A=1\nB=2\nA=3\n"),
    ("dup", "d6", "A=1\nA\n"),
    # --- multi-line / backticks
    ("ml", "m1", 'A="a\nb"\nB=2\n'),
    ("ml", "m2", "A='a\nb'\nB=2\n"),
    ("ml", "m3", "A=`a\nb`\nB=2\n"),
    ("ml", "m4", "A=`it's \"q\"`\n"),
    ("ml", "m5", 'A="a\n# not comment\nb"\n'),
    ("ml", "m6", 'A="a\nb"\n#A=1\nB=2\n'),
    ("ml", "m7", 'A="l1\nl2" junk\nB=2\n'),
    ("ml", "m8", 'A="a\n  b  \n"\n'),
    ("ml", "m9", 'A="a\nB=2\nC="\n'),
    # --- comments
    ("cmt", "c1", "# A=1\nB=2\n"),
    ("cmt", "c2", "  # A=1\nB=2\n"),
    ("cmt", "c3", "A=1 # c\n"),
    ("cmt", "c4", 'A="1" junk\nB=2\n'),
    ("cmt", "c5", "A=1#c\n"),
    ("cmt", "c6", "#\nA=1\n"),
    ("cmt", "c7", "A=1 #\n"),
    ("cmt", "c8", "B=2 ## A=1\n"),
    ("cmt", "c9", "; A=1\nB=2\n"),
    ("cmt", "c10", "A='1' junk\nB=2\n"),
    # --- whitespace
    ("ws", "w1", "\tA=1\n"),
    ("ws", "w2", "  A=1\n"),
    ("ws", "w3", "A\t=\t1\n"),
    ("ws", "w4", "A =1\n"),
    ("ws", "w5", "A= 1\n"),
    ("ws", "w6", "  export A = 1\n"),
    ("ws", "w7", ' A = " x " \n'),
    ("ws", "w8", "A=\t'x'\n"),
    # --- trailing backslash
    ("bs", "s1", "A=abc\\\nB=2\n"),
    ("bs", "s2", 'A="abc\\\nB=2"\n'),
    ("bs", "s3", "A='abc\\\ndef'\n"),
    ("bs", "s4", 'A="abc\\\\"\nB=2\n'),
    # --- long lines
    ("long", "L1", "A=" + LONG + "\nB=2\n"),
    ("long", "L2", 'A="' + LONG + '"\nB=2\n'),
    ("long", "L3", 'A="' + LONG + "\nB=2\n"),
    ("long", "L4", "A=" + LONG + " #c\nB=2\n"),
]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (cmd[:2], p.stderr))
    return [json.loads(line) for line in p.stdout.split("\n") if line.strip()]


def j(s):
    """JSON-escape a string; abbreviate the 100k runs."""
    out = json.dumps(s, ensure_ascii=True)
    if LONG in s:
        out = out.replace(LONG, "x{100000}")
    elif len(out) > 200:
        out = out[:90] + "...(%d chars)...\"" % len(s)
    return out


def show_input(data):
    if isinstance(data, bytes):
        try:
            s = data.decode("utf-8")
        except UnicodeDecodeError:
            return "bytes " + repr(data)
        if s.startswith("\ufeff") and not isinstance(data, str):
            return "BOM+" + j(s[1:])
        return j(s)
    return j(data)


def fmt_obj(pairs):
    if pairs is None:
        return "-"
    return "{" + ", ".join("%s:%s" % (j(k), "null" if v is None else j(v)) for k, v in pairs) + "}"


def cell(text):
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return "%s%s%s%s%s" % (fence, pad, text, pad, fence)


def main():
    os.makedirs(OUT, exist_ok=True)
    files = []
    for section, cid, data in CASES:
        path = os.path.join(OUT, cid + ".env")
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        files.append(path)
    py = run([sys.executable, os.path.join(HERE, "python_dotenv.py")] + files)
    nd = run(["node", os.path.join(HERE, "node_dotenv.js")] + files)

    titles = {
        "quotes": "Unbalanced quotes / quotes inside unquoted values",
        "eol": "Line endings and control characters",
        "bom": "BOM and encoding",
        "esc": "Escapes",
        "val": "Value forms",
        "interp": "Interpolation (the readers give no process env)",
        "key": "Keys and `export`",
        "dup": "Duplicates",
        "ml": "Multi-line values",
        "cmt": "Comments",
        "ws": "Whitespace",
        "bs": "Trailing backslash",
        "long": "Very long lines",
    }
    cur = None
    for (section, cid, data), p, n in zip(CASES, py, nd):
        if section != cur:
            cur = section
            print("\n### %s\n" % titles[section])
            print("| id | file content (JSON string) | python-dotenv | node dotenv | dotenvx | agree |")
            print("|---|---|---|---|---|---|")
        if p["ok"]:
            pyv = fmt_obj(p["values"])
            pyset = {k: v for k, v in p["values"] if v is not None}
            if p["warnings"]:
                pyv += " WARN " + ",".join(
                    "L" + w.rsplit(" ", 1)[-1] for w in p["warnings"]
                )
        else:
            pyv = "ERROR " + p["error"]
            pyset = None

        def js(res):
            if "error" in res and len(res) == 1:
                return "ERROR " + res["error"], None
            return fmt_obj(list(res.items())), res

        ndv, ndset = js(n["node-dotenv"])
        fastv, fastset = js(n["node-dotenv-fast"])
        dxv, dxset = js(n["dotenvx"])
        if n.get("dotenvx_commands"):
            dxv += " (tried to exec %s)" % j(" ; ".join(n["dotenvx_commands"]))
        if fastset != ndset:
            ndv += " **fast:** " + fastv
        if pyset == ndset == dxset:
            agree = "all"
        else:
            groups = []
            if pyset == ndset:
                groups.append("py=node")
            if pyset == dxset:
                groups.append("py=dx")
            if ndset == dxset:
                groups.append("node=dx")
            agree = ", ".join(groups) if groups else "none"
        print("| %s | %s | %s | %s | %s | %s |" % (
            cid, cell(show_input(data)), cell(pyv), cell(ndv), cell(dxv), agree))


if __name__ == "__main__":
    main()
