#!/usr/bin/env python3
"""shape_check.py -- the shape rules of the sources, checked (make test)

Run from the top of a checkout (tests/e2e_shape.sh runs it).  Fails, with
one line per offence ("FILE:LINE: what"), when
  - a source file in src/ is over MAX_FILE_LINES lines;
  - a function in src/ is over MAX_FUNC_LINES lines, counted from the
    line of its name to its closing brace, unless ALLOW_LONG names it:
    a state machine whose comment says why it stays one function (the
    comment just above it must say "state machine"; an entry whose
    function is gone or no longer long is an offence too, so that the
    list stays true);
  - a file in one src/ folder includes a header of a folder later in the
    direction base <- parse <- edit <- write <- run <- cli (a lower
    floor that includes an upper one makes a cross-folder cycle);
  - a function declared in a header of src/ or in include/cart837.h has
    no contract comment just above it.  Consecutive declarations with no
    blank line between them share the comment above the first (a group:
    "Writes the header row, or one row, ...").
Prints the figures (files, the largest file, the longest function) and
exits 0 when there is no offence, 1 otherwise.  Python 3 stdlib only.
"""
import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNC_LINES = 80

# Functions allowed over MAX_FUNC_LINES, each with its reason.  Only
# state machines, and only with a comment above them saying why.
ALLOW_LONG = {
    "c837_tokenizer_feed":
        "the tokenizer's state machine: BODY and TRAIL move the loop's "
        "position themselves (one memchr per segment, fast_segments), so "
        "they belong with the loop, as in libcsv's csv_parse and zlib's "
        "inflate",
}

# The floors, lowest first: a folder may include headers of its own
# floor and of lower ones only.
FLOORS = ["base", "parse", "edit", "write", "run", "cli"]

PUBLIC_HEADER = "include/cart837.h"

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do",
            "else", "case", "goto", "typedef", "struct", "union", "enum",
            "__attribute__", "defined"}


def strip_code(text):
    """Returns (code, comment_ends): text with comments, string and char
    literals and preprocessor lines blanked (newlines kept, so offsets
    give the same lines), and the set of 1-based lines on which a comment
    ends.  Lines inside '#ifdef __cplusplus' blocks are blanked too."""
    out = []
    comment_ends = set()
    i, n, line = 0, len(text), 1
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            out.append(c)
            line += 1
            at_line_start = True
            i += 1
            continue
        if at_line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if at_line_start and c == "#":
            # a preprocessor line, with its continuations
            j = i
            while j < n:
                k = text.find("\n", j)
                if k < 0:
                    k = n
                if k > i and text[k - 1] == "\\":
                    j = k + 1
                    continue
                break
            chunk = text[i:k]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = k
            if re.match(r"#\s*ifdef\s+__cplusplus\b", chunk):
                # skip to the matching #endif (C++ only: extern "C")
                m = re.compile(r"^[ \t]*#\s*endif\b.*$", re.M).search(text, k)
                end = m.end() if m else n
                skipped = text[k:end]
                out.append(re.sub(r"[^\n]", " ", skipped))
                line += skipped.count("\n")
                i = end
            continue
        at_line_start = False
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = text[i:j]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            comment_ends.add(line)
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            comment_ends.add(line)
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out), comment_ends


def line_of(code, pos):
    return code.count("\n", 0, pos) + 1


def func_name(head):
    """The name of the function whose signature is head (the text of a
    top-level statement before its '{' or ';'), or None when head is not
    a function (a variable, a typedef, a struct, an initialiser)."""
    depth = 0
    first_paren = -1
    for k, c in enumerate(head):
        if c == "(":
            if depth == 0 and first_paren < 0:
                first_paren = k
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "=" and depth == 0:
            return None
    if first_paren < 0:
        return None
    before = head[:first_paren]
    words = IDENT.findall(before)
    if re.match(r"\s*typedef\b", head) or not words:
        return None
    name = words[-1]
    if name in KEYWORDS:
        return None
    # a return type before the name: at least one more word, or a '*'
    if len(words) < 2 and "*" not in before:
        return None
    return name


def top_level(code):
    """Yields (kind, name, start, end) for every top-level statement that
    declares or defines a function: kind "decl" (ends in ';') or "def"
    (a body in braces); start and end are offsets of its first character
    and of its ';' or closing brace."""
    depth = 0
    start = None
    body_open = None  # the statement has a body in braces (or a struct's)
    name = None
    for i, c in enumerate(code):
        if depth == 0 and start is None and not c.isspace():
            start = i
            body_open = None
        if c == "{":
            if depth == 0:
                name = func_name(code[start:i]) if start is not None else None
                body_open = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                if name:
                    yield ("def", name, start, i)
                    start = None
                name = None
        elif c == ";" and depth == 0:
            if start is not None:
                if body_open is None:
                    nm = func_name(code[start:i])
                    if nm:
                        yield ("decl", nm, start, i)
            start = None


def src_files(root):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "src")):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(dirpath, f), root)


def floor_of(path):
    parts = path.split(os.sep)
    if len(parts) >= 3 and parts[0] == "src" and parts[1] in FLOORS:
        return parts[1]
    return None


def comment_above(lines, comment_ends, first):
    """1 when the line above line `first` (skipping conditional
    preprocessor lines) ends a comment."""
    k = first - 1
    while k >= 1 and re.match(r"\s*#\s*(if|ifdef|ifndef|else|elif|endif)\b",
                              lines[k - 1]):
        k -= 1
    return k >= 1 and k in comment_ends


def check(root):
    offences = []
    figures = {"files": 0, "functions": 0, "largest": ("", 0),
               "longest": ("", "", 0), "allowed": []}
    headers = [PUBLIC_HEADER]
    seen_allowed = {}
    for path in src_files(root):
        with open(os.path.join(root, path), encoding="utf-8",
                  errors="replace") as fp:
            text = fp.read()
        lines = text.split("\n")
        n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        figures["files"] += 1
        if n_lines > figures["largest"][1]:
            figures["largest"] = (path, n_lines)
        if n_lines > MAX_FILE_LINES:
            offences.append("%s:%d: %d lines, over %d (split the file)"
                            % (path, n_lines, n_lines, MAX_FILE_LINES))
        # includes against the direction of the floors
        floor = floor_of(path)
        for k, ln in enumerate(lines, 1):
            m = re.match(r'\s*#\s*include\s+"([^"/]+)/', ln)
            if floor and m and m.group(1) in FLOORS and \
                    FLOORS.index(m.group(1)) > FLOORS.index(floor):
                offences.append(
                    "%s:%d: %s/ includes a header of %s/, a later floor "
                    "(direction %s): a cross-folder cycle"
                    % (path, k, floor, m.group(1), " <- ".join(FLOORS)))
        # function lengths
        code, comment_ends = strip_code(text)
        for kind, name, start, end in top_level(code):
            if kind != "def":
                continue
            name_pos = code.find(name, start)
            first = line_of(code, name_pos)
            length = line_of(code, end) - first + 1
            figures["functions"] += 1
            if name in ALLOW_LONG:
                seen_allowed[name] = (path, first, length)
                above = lines[max(0, first - 12):first]
                if not any("state machine" in a for a in above):
                    offences.append(
                        "%s:%d: %s is on the long-function allowlist but "
                        "no comment above it says it is a state machine"
                        % (path, first, name))
                continue
            if length > figures["longest"][2]:
                figures["longest"] = (path + ":" + str(first), name, length)
            if length > MAX_FUNC_LINES:
                offences.append("%s:%d: function %s is %d lines, over %d"
                                % (path, first, name, length,
                                   MAX_FUNC_LINES))
        if path.endswith(".h"):
            headers.append(path)
    for name, why in sorted(ALLOW_LONG.items()):
        if name not in seen_allowed:
            offences.append("%s: on the long-function allowlist but not "
                            "found in src/: remove it from ALLOW_LONG in "
                            "tests/shape_check.py" % name)
        elif seen_allowed[name][2] <= MAX_FUNC_LINES:
            p, first, length = seen_allowed[name]
            offences.append("%s:%d: %s is %d lines now: remove it from "
                            "ALLOW_LONG in tests/shape_check.py"
                            % (p, first, name, length))
        else:
            p, first, length = seen_allowed[name]
            figures["allowed"].append((p + ":" + str(first), name, length,
                                       why))
    # contract comments on declarations in headers
    for path in headers:
        with open(os.path.join(root, path), encoding="utf-8",
                  errors="replace") as fp:
            text = fp.read()
        lines = text.split("\n")
        code, comment_ends = strip_code(text)
        prev_end_line = -10
        prev_ok = False
        for kind, name, start, end in top_level(code):
            first = line_of(code, start)
            last = line_of(code, end)
            if comment_above(lines, comment_ends, first):
                ok = True
            elif first == prev_end_line + 1:
                ok = prev_ok  # a group: the comment above its first
            else:
                ok = False
            if not ok:
                offences.append("%s:%d: %s is declared without a contract "
                                "comment just above it" % (path, first, name))
            prev_end_line, prev_ok = last, ok
    return offences, figures


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    offences, fig = check(root)
    print("shape: %d files in src/, %d functions; largest file %s (%d "
          "lines, limit %d); longest function %s %s (%d lines, limit %d)"
          % (fig["files"], fig["functions"], fig["largest"][0],
             fig["largest"][1], MAX_FILE_LINES, fig["longest"][1],
             fig["longest"][0], fig["longest"][2], MAX_FUNC_LINES))
    for where, name, length, why in fig["allowed"]:
        print("shape: allowed: %s %s (%d lines): %s"
              % (name, where, length, why))
    for o in offences:
        print("shape: " + o)
    if offences:
        print("shape: %d offence(s)" % len(offences))
        return 1
    print("shape: no offence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
