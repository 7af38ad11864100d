"""NumPy's aliases of Python's builtin types, which NumPy 1.24 removed, as the builtins.

    np.bool -> bool     np.int -> int     np.float -> float     np.complex -> complex
    np.object -> object     np.str -> str     np.long -> int     np.unicode -> str

They were the builtins themselves (``np.bool is bool`` in NumPy 1.23), so the
rewrite keeps what the code did; the material of 2016-2020 used them
(``np.zeros(n, dtype=np.bool)``), and on NumPy 1.24+ they raise
``AttributeError``. ``np.bool_`` and the other scalar types are untouched.
"""

import libcst

from labs.migrate.program import Edit

ALIASES = {
    "bool": "bool", "int": "int", "float": "float", "complex": "complex", "object": "object", "str": "str",
    "long": "int", "unicode": "str",
}


def numpy_alias_edits(names):
    """One edit per dotted use of a removed alias (``np.bool``, ``numpy.int``, ...)."""
    edits = []
    for node, full, written in names.uses:
        if len(full) == 2 and full[0] == "numpy" and full[1] in ALIASES and len(written) == 2:
            builtin = ALIASES[full[1]]
            edits.append(Edit(node, libcst.Name(builtin),
                              f"NumPy 1.24 removed np.{full[1]}, which was the builtin {builtin}"))
    return edits


def numpy_aliases(context):
    """The Keras stage's rule: ``numpy_alias_edits`` of the program's names."""
    return numpy_alias_edits(context.names)
