"""Migrate TF1 course scripts and notebooks onto TensorFlow 2 through ``compat``.

``python -m labs migrate PATH... (-o OUT | --in-place | --check) [--run]``
(see ``cli``). In code: ``script.migrate(data)`` and ``notebook.migrate(data)``
take a file's bytes and return a ``Migrated`` (new bytes, changes, findings).

Modules, in the order a file goes through them:

* ``source``: bytes <-> text in the file's own encoding; parsing with libcst,
  naming Python 2 syntax.
* ``program``: a module or a notebook's cells as one program; edits by node.
* ``rules``: the stages: ``transform`` (imports onto the drop-in, names
  nothing serves), then ``cell_reuse`` (``MultiRNNCell([cell] * n)``) and
  ``pitfalls`` (``list(set(...))``, ``is 0``, Python 2 builtins).
* ``namespaces``: which dotted names exist on TF 2 and under the drop-in.
* ``script``, ``notebook``: the two file formats, and running them.
* ``files``: inputs, outputs, atomic writes. ``report``: what is shown.
"""
