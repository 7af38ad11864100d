"""Module-level ``__getattr__``/``__dir__`` that serve another module's names.

The drop-in's namespaces define only what compat replaces and look up every
other name in the TensorFlow module they stand for, at access time, so
nothing of that module is missed. Dunder names are never delegated: a
borrowed ``__path__`` would make Python import submodules from TensorFlow's
package directory.
"""

import sys


def delegate_to(module_name, target):
    """Returns ``(__getattr__, __dir__)`` for module ``module_name``.

    Args:
      module_name: ``__name__`` of the module that defines the overrides.
      target: zero-argument callable returning the module to delegate to
        (called on each look-up, so lazy TensorFlow modules stay lazy).
    """

    def __getattr__(name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        delegate = target()
        try:
            return getattr(delegate, name)
        except AttributeError as error:
            raise AttributeError(
                f"module {module_name!r} has no attribute {name!r} ({error})"
            ) from None

    def __dir__():
        own = {name for name in vars(sys.modules[module_name]) if not name.startswith("_")}
        try:
            delegated = dir(target())
        except ImportError:
            # TF 2.16+ without tf-keras: `dir(tf.compat.v1.layers)` fails to
            # import its Keras 2 module; list what is served here.
            delegated = []
        return sorted(own | set(delegated))

    return __getattr__, __dir__
