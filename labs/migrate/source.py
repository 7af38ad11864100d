"""Python source as bytes in, bytes out: decoding, parsing, clear syntax errors.

Text is decoded with the encoding Python itself would use (PEP 263: a BOM or
a ``coding`` line, else UTF-8) and written back with that same encoding, so
every byte the migrator does not change comes back unchanged.
"""

import ast
import codecs
import io
import tokenize

import libcst

from labs.migrate.errors import MigrationError


def decode(data):
    """Return ``(text, encoding)`` for Python source bytes; ``encode`` inverts it."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise MigrationError(f"unreadable encoding declaration: {error}") from None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        name = codecs.lookup(encoding).name
        raise MigrationError(
            f"not valid {name} text (byte {data[error.start]:#04x} at line {line}, "
            f"column {column}); save the file as UTF-8, or declare its encoding "
            "with a '# -*- coding: NAME -*-' first line"
        ) from None


def encode(text, encoding):
    return text.encode(encoding)


def parse(text, *, where="line", top_level_await=False):
    """Parse ``text`` into a libcst Module, or raise MigrationError naming the line.

    The text must also compile on the running Python: libcst follows a newer
    grammar than some interpreters (it reads ``except A, B:`` as PEP 758's
    tuple, Python 3.11 rejects it). ``where`` prefixes the position in
    messages (a notebook passes "cell 3, line"); notebooks allow top-level
    ``await``.
    """
    flags = ast.PyCF_ONLY_AST | (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0)
    try:
        module = libcst.parse_module(text)
        compile(text, "<migrated>", "exec", flags=flags, dont_inherit=True)
        return module
    except libcst.ParserSyntaxError as error:
        number = error.raw_line
    except SyntaxError as error:
        number = error.lineno
    lines = text.splitlines()
    line = lines[number - 1] if number and number <= len(lines) else ""
    hint = python2_hint(line)
    if hint:
        raise MigrationError(f"{where} {number}: Python 2 syntax: {hint}")
    raise MigrationError(f"{where} {number}: syntax error, not valid Python 3: {line.strip()!r}")


_PYTHON2_STATEMENTS = {
    "print": "the Python 2 print statement; write print(...) as a function call",
    "exec": "the Python 2 exec statement; write exec(...) as a function call",
}


def python2_hint(line):
    """Name the Python 2 construct that makes ``line`` a syntax error, if it is one."""
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)
            if token.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    if len(tokens) >= 2 and tokens[0].string in _PYTHON2_STATEMENTS:
        if tokens[1].string not in ("(", "=", ".", "[", ",", ")", ":") and not (
            tokens[1].type == tokenize.OP and tokens[1].string.endswith("=")
        ):
            return f"{_PYTHON2_STATEMENTS[tokens[0].string]} ({line.strip()!r})"
    strings = [token.string for token in tokens]
    if strings[:1] == ["except"] and "," in strings and strings[-1] == ":":
        return f"'except X, name:' is Python 2; write 'except X as name:' ({line.strip()!r})"
    if any(a.string == "<" and b.string == ">" and a.end == b.start for a, b in zip(tokens, tokens[1:])):
        return f"'<>' is Python 2; write '!=' ({line.strip()!r})"
    if "`" in line and any(token.type == tokenize.ERRORTOKEN for token in tokens):
        return f"backquotes are Python 2; write repr(...) ({line.strip()!r})"
    return None
