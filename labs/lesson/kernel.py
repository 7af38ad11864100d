"""What a lab notebook loads into its kernel: `%load_ext labs.lesson.kernel`.

The cell magic `%%module NAME` runs the cell's code as module NAME, e.g.

    %%module labs.hello_rnn.data
    LEARNING_RATE = 0.1
    ...

The cell becomes a fresh module object, registered under NAME (in
`sys.modules` and on its package) and bound to NAME's last part (`data`) in
the notebook. So every later import of NAME, in the notebook or in the
harness, gets the cell's code: edit a hyperparameter, rerun the cell and the
cells after it, and the lab trains with the new value.

`side_by_side(tf1, keras)` prints the arrays of one section of a section lab
(`{name: array}` from each form) next to each other. An array of more than
`WHOLE_ARRAY_LIMIT` numbers is shown by its first and last rows along every
axis, as numpy summarises: a (8, 10, 8) array printed whole twice is 160
lines, more than a reader compares by eye. Its max |TF1 - Keras| line is
always over every number.
"""

import importlib
import importlib.util
import linecache
import sys
import types

import numpy as np

WHOLE_ARRAY_LIMIT = 200


def load_ipython_extension(ipython):
    """Registers `%%module` (IPython calls this for `%load_ext`)."""

    def module(line, cell):
        run_as_module(line.strip(), cell, ipython.user_ns)

    ipython.register_magic_function(module, magic_kind="cell",
                                    magic_name="module")


def run_as_module(name, code, namespace):
    """Runs `code` as a new module `name`; binds its last part in `namespace`.

    Returns the module.
    """
    if not name or not all(part.isidentifier() for part in name.split(".")):
        raise ValueError(f"%%module needs a dotted module name, got {name!r}.")
    spec = importlib.util.find_spec(name)
    package, _, last = name.rpartition(".")
    module = types.ModuleType(name)
    module.__package__ = package
    module.__spec__ = spec
    # Tracebacks and `inspect.getsource` read the cell, not the file (whose
    # lines are numbered differently: the cell has no docstring).
    filename = f"<%%module {name}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True),
                                 filename)
    module.__file__ = filename
    exec(compile(code, filename, "exec"), module.__dict__)
    sys.modules[name] = module
    if package:
        setattr(importlib.import_module(package), last, module)
    namespace[last] = module
    return module


def side_by_side(tf1, keras, precision=5):
    """Prints every array of `tf1` next to the same-named one of `keras`."""
    if isinstance(precision, bool) or not isinstance(precision, int) \
            or precision < 0:
        raise ValueError(f"precision must be an int >= 0, got {precision!r}.")
    missing = sorted(set(tf1) - set(keras))
    if missing:
        raise KeyError(f"keras has no array named {', '.join(missing)}.")
    for name, left in tf1.items():
        right = np.asarray(keras[name])
        left = np.asarray(left)
        difference = float(np.max(np.abs(left - right))) if left.size else 0.0
        summarised = (" (first and last rows of each axis)"
                      if left.size > WHOLE_ARRAY_LIMIT else "")
        print(f"{name} {left.shape}   max |TF1 - Keras| = {difference:.1e}"
              f"{summarised}")
        lines = [_lines(left, precision), _lines(right, precision)]
        width = max(len(line) for line in lines[0] + ["TF1"])
        print(f"  {'TF1':<{width}}   Keras 3")
        for index in range(max(len(lines[0]), len(lines[1]))):
            a = lines[0][index] if index < len(lines[0]) else ""
            b = lines[1][index] if index < len(lines[1]) else ""
            print(f"  {a:<{width}}   {b}")
        print()


def _lines(array, precision):
    return np.array2string(array, precision=precision, suppress_small=True,
                           max_line_width=60, threshold=WHOLE_ARRAY_LIMIT,
                           edgeitems=2).splitlines()
