"""Migrate TF1 and Keras 2 course scripts and notebooks onto TensorFlow 2 and Keras 3.

``python -m labs migrate PATH... (-o OUT | --in-place | --check) [--run]``
(see ``cli``). In code: ``script.migrate(data)`` and ``notebook.migrate(data)``
take a file's bytes and return a ``Migrated`` (new bytes, changes, findings).

Modules, in the order a file goes through them:

* ``source``: bytes <-> text in the file's own encoding; parsing with libcst,
  naming Python 2 syntax.
* ``program``: a module or a notebook's cells as one program; edits by node.
* ``classify``: TF1 graph code, TF2/Keras code, or a mix of both.
* ``rules``: the stages of each kind. TF1: ``transform`` (imports onto the
  drop-in, names nothing serves), then ``cell_reuse``
  (``MultiRNNCell([cell] * n)``) and ``pitfalls`` (``list(set(...))``,
  ``is 0``, Python 2 builtins). Keras: ``keras_api`` (moved modules, removed
  model methods, ``plot_model``), ``keras_optimizers`` (``lr``, ``decay``),
  ``keras_inputs`` (input arguments -> ``keras.Input``), sharing
  ``keras_context``; ``keras_removed`` names the fix for dropped Keras names.
* ``namespaces``: which dotted names exist on TF 2 and under the drop-in.
* ``script``, ``notebook``: the two file formats, and running them.
* ``files``: inputs, outputs, atomic writes. ``report``: what is shown.
"""
