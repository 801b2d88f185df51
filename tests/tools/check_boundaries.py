#!/usr/bin/env python3
"""Capability boundaries (docs/ARCHITECTURE.md, "Capabilities"), checked on the sources.

1. A file in src/A/ never includes "B/store.h" for another capability B: it includes B's public
   headers (B/lookup.h, B/service.h, …). src/app/ wires the capabilities and may include any.
2. Outside its store (src/A/store.cc) no file of capability A runs SQL naming a table that
   another capability B owns; it asks B's lookup. A table's owner is the capability whose
   sources hold its CREATE TABLE (the migrations in src/B/store.cc). The platform's own tables
   (events, event_topics, mail_outbox, …) are not a capability's and are not checked here. A
   store may still join another capability's tables to name things in its reads (the reading
   side of the schema is shared); only its own tables are written there.

Usage: check_boundaries.py [SRC_DIR]   (default: the src/ next to this script's tests/)
       check_boundaries.py --self-test  (the checker finds what it must, on a small made-up tree)
Exit 0 when clean; 1 with one line per violation (file:line and what to do).
"""
import os
import re
import sys

NOT_CAPABILITIES = {"app", "core", "platform"}


def literals(text):
    """The string literals of C++ source `text` as (line, value): comments skipped, raw strings
    read, adjacent literals ("a" "b") joined as the compiler joins them."""
    out = []
    cur = None
    cur_line = 0
    i, n = 0, len(text)

    def add(val, start):
        nonlocal cur, cur_line
        if cur is None:
            cur, cur_line = val, text.count("\n", 0, start) + 1
        else:
            cur += val

    def flush():
        nonlocal cur
        if cur is not None:
            out.append((cur_line, cur))
            cur = None

    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        ch = text[i]
        prev_ident = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
        if ch in "uULR" and not prev_ident:
            m = re.match(r'(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(', text[i:i + 40])
            if m:
                end = ")" + m.group(1) + '"'
                s = i + m.end()
                j = text.find(end, s)
                if j < 0:
                    j = n
                add(text[s:j], i)
                i = j + len(end)
                continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            add(text[i + 1:j], i)
            i = j + 1
            continue
        if ch == "'":
            if prev_ident:  # a digit separator: 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != "'" and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            flush()
            i = j + 1
            continue
        if not ch.isspace():
            flush()
        i += 1
    flush()
    return out


def sources(folder, exts):
    for dirpath, _, names in os.walk(folder):
        for name in sorted(names):
            if name.endswith(exts):
                yield os.path.join(dirpath, name)


def check(src):
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    caps = [d for d in folders if d not in NOT_CAPABILITIES]
    owner = {}
    for cap in caps:
        for path in sources(os.path.join(src, cap), (".cc", ".sql")):
            for _, s in literals(open(path, encoding="utf-8").read()):
                for m in re.finditer(r"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                                     r"(\w+)", s):
                    owner[m.group(1)] = cap
    problems = []
    include = re.compile(r'^\s*#\s*include\s*"(\w+)/store\.h"', re.M)
    table = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(\w+)")
    for cap in caps:
        for path in sources(os.path.join(src, cap), (".cc", ".h")):
            rel = os.path.relpath(path, src)
            text = open(path, encoding="utf-8").read()
            for m in include.finditer(text):
                other = m.group(1)
                if other != cap and other in caps:
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(f"src/{rel}:{line}: includes {other}/store.h, private to "
                                    f"{other}: use {other}/lookup.h (or another public header)")
            if os.path.basename(path) == "store.cc":
                continue
            for line, s in literals(text):
                for m in table.finditer(s):
                    other = owner.get(m.group(1))
                    if other and other != cap:
                        problems.append(f"src/{rel}:{line}: SQL names table {m.group(1)}, owned "
                                        f"by {other}: ask {other}/lookup.h")
    return owner, problems


def self_test():
    """A made-up tree with one violation of each kind, and what must not count as one."""
    import tempfile
    files = {
        "directory/store.cc": 'auto m = R"sql(\nCREATE TABLE offices (id TEXT);\n)sql";\n',
        "queue/store.cc": ('const char* k = "CREATE TABLE queue_tickets (id TEXT)";\n'
                           '// a store may join: SELECT 1 FROM offices\n'
                           'auto q = "SELECT t.id FROM queue_tickets t JOIN offices o ON 1";\n'),
        "queue/service.cc": ('#include "queue/store.h"\n#include "directory/lookup.h"\n'
                             '#include "directory/store.h"\n'
                             '// SELECT id FROM offices (a comment is no query)\n'
                             'int n = 1\'000;\n'
                             'auto a = c.one("SELECT ente_id "\n    "FROM offices WHERE id = ?");\n'
                             'auto b = c.one("SELECT id FROM queue_tickets");\n'),
        "app/app.cc": '#include "queue/store.h"\nauto x = "SELECT 1 FROM offices";\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        owner, problems = check(root)
    want = ["src/queue/service.cc:3: includes directory/store.h",
            "src/queue/service.cc:6: SQL names table offices, owned by directory"]
    ok = owner == {"offices": "directory", "queue_tickets": "queue"} and len(problems) == 2 and all(
        p.startswith(w) for p, w in zip(problems, want))
    print("\n".join(problems))
    print("self-test " + ("passed" if ok else f"FAILED: owners {owner}"))
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "src")
    owner, problems = check(src)
    if not owner:
        print(f"no CREATE TABLE found under {src}: wrong directory?")
        return 1
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} capability boundary violation(s)")
        return 1
    print(f"capability boundaries hold ({len(owner)} tables, their owners known)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
