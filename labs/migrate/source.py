"""Python source as bytes in, bytes out: decoding, parsing, clear syntax errors.

Text is decoded with the encoding Python itself would use (PEP 263: a BOM or
a ``coding`` line, else UTF-8) and written back with that same encoding, so
every byte the migrator does not change comes back unchanged.
"""

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


def parse(text, *, where="line"):
    """Parse ``text`` into a libcst Module, or raise MigrationError naming the line.

    ``where`` prefixes the position in messages (a notebook passes "cell 3, line").
    """
    try:
        return libcst.parse_module(text)
    except libcst.ParserSyntaxError as error:
        line = text.splitlines()[error.raw_line - 1] if error.raw_line else ""
        hint = python2_hint(line)
        position = f"{where} {error.raw_line}"
        if hint:
            raise MigrationError(f"{position}: Python 2 syntax: {hint}") from None
        raise MigrationError(
            f"{position}: syntax error, not valid Python 3: {line.strip()!r}"
        ) from None


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
        if tokens[0].string == "print" and tokens[1].string == ">>":
            return f"'print >>file' is Python 2; write print(..., file=file) ({line.strip()!r})"
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
