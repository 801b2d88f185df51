#!/usr/bin/env python3
"""Checks that the English error catalog (src/platform/i18n/errors_en.tsv) covers every literal
error message in src/ and holds no entry that is no longer used.

A message is the message argument of makeError(Errc::…, M), http::error(Errc::…, M),
error(Errc::…, M), Error{Errc::…, M}, invalid(M) (directory/schedule.cc), fail(key, M)
(core/json_fields.cc), sendError(code, M), translate(M, lang) and {"message", M}
(platform/server.cc), and every
literal assigned to a variable that is then passed as one (`why = "…"`); also Error e(Errc::…, M),
ratelimit::hit/tooMany, bad(M)/closed(M) lambdas, the scanHeader reasons and the units of
ratelimit's waitText. In M each literal piece is kept and each dynamic part (a variable, a call)
becomes {}: the catalog key. An entry without {} that is not a message but a word filling one
({} non trovato ← "sede") counts as used while that exact literal is in src/.

Usage: check_error_catalog.py [repo root]      (--list prints the keys found)
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-")
                       else os.path.join(os.path.dirname(__file__), "..", ".."))
CATALOG = os.path.join(ROOT, "src", "platform", "i18n", "errors_en.tsv")

ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "0": "\0", "?": "?"}


def tokenize(text):
    """C++ tokens: ('str', value), ('id', name), ('num', …), ('op', ch). Comments dropped."""
    toks = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i) + 2
        elif c == "#" and (i == 0 or text[text.rfind("\n", 0, i) + 1:i].strip() == ""):
            # preprocessor line (with continuations)
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    i += 1
                i += 1
        elif re.match(r'(u8|u|U|L)?R"', text[i:i + 4]):
            q = text.index('"', i)
            paren = text.index("(", q)
            delim = text[q + 1:paren]
            end = text.index(")" + delim + '"', paren)
            toks.append(("str", text[paren + 1:end]))
            i = end + len(delim) + 2
        elif c == '"' or (c in "uUL" and re.match(r'(u8|u|U|L)"', text[i:i + 3])):
            i = text.index('"', i) + 1
            val = []
            while text[i] != '"':
                if text[i] == "\\":
                    val.append(ESCAPES.get(text[i + 1], text[i + 1]))
                    i += 2
                else:
                    val.append(text[i])
                    i += 1
            toks.append(("str", "".join(val)))
            i += 1
        elif c == "'":
            j = i + 1
            while text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            toks.append(("chr", text[i:j + 1]))
            i = j + 1
        elif c.isalpha() or c == "_":
            m = re.match(r"[A-Za-z_][A-Za-z_0-9]*", text[i:])
            toks.append(("id", m.group(0)))
            i += len(m.group(0))
        elif c.isdigit():
            m = re.match(r"[0-9][0-9A-Za-z_.']*", text[i:])
            toks.append(("num", m.group(0)))
            i += len(m.group(0))
        elif text.startswith("::", i):
            toks.append(("op", "::"))
            i += 2
        else:
            toks.append(("op", c))
            i += 1
    return toks


OPEN = {"(": ")", "{": "}", "[": "]"}


def args_of(toks, k):
    """toks[k] is an opening bracket: the top-level arguments (token lists) and the end index."""
    close = OPEN[toks[k][1]]
    depth, args, cur = 0, [], []
    i = k + 1
    while i < len(toks):
        t = toks[i]
        if t[0] == "op" and t[1] in OPEN:
            depth += 1
        elif t[0] == "op" and t[1] in ")}]":
            if depth == 0 and t[1] == close:
                args.append(cur)
                return args, i
            depth -= 1
        elif t[0] == "op" and t[1] == "," and depth == 0:
            args.append(cur)
            cur = []
            i += 1
            continue
        cur.append(t)
        i += 1
    return args, i


def split_top(tokens, sep):
    parts, cur, depth = [], [], 0
    for t in tokens:
        if t[0] == "op" and t[1] in OPEN:
            depth += 1
        elif t[0] == "op" and t[1] in ")}]":
            depth -= 1
        if depth == 0 and t == ("op", sep):
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


def templates(expr):
    """The message keys an expression can produce; None pieces for a bare variable name."""
    if not expr:
        return [], []
    # cond ? a : b  → both branches (only the top-level ones)
    q = split_top(expr, "?")
    if len(q) > 1:
        rest = q[1:]
        rest_tokens = []
        for j, part in enumerate(rest):
            if j:
                rest_tokens.append(("op", "?"))
            rest_tokens.extend(part)
        out, names = [], []
        for branch in split_top(rest_tokens, ":"):
            o, nm = templates(branch)
            out += o
            names += nm
        return out, names
    pieces = split_top(expr, "+")
    key, literal = "", False
    names = []
    for p in pieces:
        if p and all(t[0] == "str" for t in p):
            key += "".join(t[1] for t in p)
            literal = True
        elif len(p) >= 3 and p[0] == ("id", "std") and p[2] == ("id", "string") and \
                len(p) == 6 and p[4][0] == "str":  # std::string("…")
            key += p[4][1]
            literal = True
        else:
            if len(pieces) == 1 and len(p) == 1 and p[0][0] == "id":
                names.append(p[0][1])
            elif len(pieces) == 1 and len(p) == 3 and p[0][0] == "id" and p[1] == ("op", "(") \
                    and p[2] == ("op", ")"):
                pass  # a call with no arguments: nothing literal
            elif len(pieces) == 1 and p and p[0] == ("id", "std") and len(p) > 3 and \
                    p[3] == ("op", "("):  # std::move(x)
                inner = [t for t in p[4:-1]]
                if len(inner) == 1 and inner[0][0] == "id":
                    names.append(inner[0][1])
            if not key.endswith("{}"):
                key += "{}"
    return ([key] if literal and key.strip("{}") else []), names


# (name, index of the message argument, whether the first argument must be Errc::…)
CALLS = {
    "makeError": (1, True),
    "error": (1, True),
    "Error": (1, True),
    "invalid": (0, False),  # directory/schedule.cc, booking/model/slots.cc
    "fail": (1, False),  # Fields::fail (core/json_fields.h)
    "sendError": (1, False),  # platform/server.cc, WebSocket
    "bad": (0, False),  # local lambdas building an Error from a message
    "closed": (0, False),
    "hit": (3, False),  # ratelimit::hit(tx, rule, subject, message)
    "tooMany": (0, False),  # ratelimit::tooMany(message, wait)
    "translate": (0, False),  # i18n::translate(message, lang) (platform/server.cc)
}
# Calls that must name a string literal message to count (generic names: bad, closed…).
LITERAL_ONLY = {"bad", "closed", "invalid"}


def messages_in(path):
    text = open(path, encoding="utf-8").read()
    toks = tokenize(text)
    found, names = set(), set()
    for k, t in enumerate(toks):
        # `Error e(Errc::…, M)`: a declaration reads like a call of Error.
        decl = t == ("id", "Error") and k + 2 < len(toks) and toks[k + 1][0] == "id" and \
            toks[k + 2][0] == "op" and toks[k + 2][1] in "({"
        if decl or (t[0] == "id" and t[1] in CALLS and k + 1 < len(toks) and
                    toks[k + 1][0] == "op" and toks[k + 1][1] in "({"):
            idx, needs_errc = CALLS[t[1]]
            # fail(ec, "ws read") in server.cc logs; Fields::fail is called as f.fail(…).
            if t[1] == "fail" and not (k > 0 and toks[k - 1] in (("op", "."), ("op", ">"))) \
                    and not path.endswith(os.path.join("core", "json_fields.cc")):
                continue
            if t[1] == "hit" and not (k > 1 and toks[k - 2] == ("id", "ratelimit")):
                continue
            args, _ = args_of(toks, k + 2 if decl else k + 1)
            if t[1] in LITERAL_ONLY and not (args and args[idx][:1] and
                                             args[idx][0][0] == "str"):
                continue
            if needs_errc and not (args and args[0][:1] == [("id", "Errc")]):
                continue
            if len(args) <= idx:
                continue
            ks, nm = templates(args[idx])
            found.update(ks)
            names.update(nm)
        elif t == ("op", "{") and k + 2 < len(toks) and toks[k + 1] == ("str", "message") and \
                toks[k + 2] == ("op", ","):
            args, _ = args_of(toks, k)
            ks, nm = templates(args[1])
            found.update(ks)
            names.update(nm)
        # HeaderScan{S::kBad, "why"} (platform/http.cc): the tail of "richiesta HTTP non valida: {}".
        elif t == ("id", "kBad") and k + 2 < len(toks) and toks[k + 1] == ("op", ",") and \
                toks[k + 2][0] == "str":
            found.add(toks[k + 2][1])
        # ratelimit's waitText: say(n, "secondo", "secondi") → "1 secondo", "{} secondi".
        elif t == ("id", "say") and k + 1 < len(toks) and toks[k + 1] == ("op", "("):
            args, _ = args_of(toks, k + 1)
            if len(args) == 3 and all(len(a) == 1 and a[0][0] == "str" for a in args[1:]):
                found.add("1 " + args[1][0][1])
                found.add("{} " + args[2][0][1])
    # A variable passed as a message: every literal assigned to it in this file.
    for name in names:
        for k, t in enumerate(toks):
            if t == ("id", name) and k + 1 < len(toks) and toks[k + 1] == ("op", "=") and \
                    not (k + 2 < len(toks) and toks[k + 2] == ("op", "=")):
                expr = []
                j = k + 2
                depth = 0
                while j < len(toks) and not (depth == 0 and toks[j] == ("op", ";")):
                    if toks[j][0] == "op" and toks[j][1] in OPEN:
                        depth += 1
                    elif toks[j][0] == "op" and toks[j][1] in ")}]":
                        depth -= 1
                    expr.append(toks[j])
                    j += 1
                ks, _ = templates(expr)
                found.update(ks)
    return found


def source_messages():
    keys = {}
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
        for f in sorted(files):
            if f.endswith((".cc", ".h")):
                p = os.path.join(dirpath, f)
                for m in messages_in(p):
                    keys.setdefault(m, os.path.relpath(p, ROOT))
    return keys


def all_literals():
    out = set()
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
        for f in files:
            if f.endswith((".cc", ".h")):
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                out.update(t[1] for t in tokenize(text) if t[0] == "str")
    return out


def catalog():
    entries, problems = {}, []
    with open(CATALOG, encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0] or not parts[1]:
                problems.append(f"errors_en.tsv:{no}: expected 'italiano<TAB>English'")
                continue
            it, en = parts
            if it in entries:
                problems.append(f"errors_en.tsv:{no}: repeated entry: {it}")
            if it.count("{}") != en.count("{}"):
                problems.append(f"errors_en.tsv:{no}: the English must keep the {{}} of the Italian")
            entries[it] = en
    return entries, problems


def main():
    src = source_messages()
    if "--list" in sys.argv:
        for k in sorted(src):
            print(f"{k}\t{src[k]}")
        return 0
    cat, problems = catalog()
    for k in sorted(set(src) - set(cat)):
        problems.append(f"missing English for {src[k]}: {k!r} (add a line to errors_en.tsv)")
    # Words that fill a {} ("sede" in "{} non trovato") are entries too: used while some string
    # literal in src/ is exactly that word.
    literals = all_literals() if set(cat) - set(src) else set()
    for k in sorted(set(cat) - set(src)):
        if "{}" not in k and k in literals:
            continue
        problems.append(f"errors_en.tsv: entry no longer used in src/: {k!r} (remove it)")
    if len(src) < 100:
        problems.append(f"only {len(src)} messages found in src/: the extractor is broken")
    for p in problems:
        print(p)
    print(f"{len(src)} messages in src/, {len(cat)} catalog entries, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
