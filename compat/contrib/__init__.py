"""The ``tf.contrib`` namespaces served: ``rnn``, ``seq2seq``, ``legacy_seq2seq``, ``layers``.

Submodules load on first attribute access, so ``import compat.contrib`` stays
cheap and never touches global TensorFlow state.
"""

import importlib

_SUBMODULES = ("layers", "legacy_seq2seq", "rnn", "seq2seq")


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
