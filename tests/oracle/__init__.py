"""Oracle tests: ``compat``'s cells against the genuine TF1 legacy cells.

The genuine cells exist on TF 2.15 (Keras 2) and on later TF with tf-keras and
``TF_USE_LEGACY_KERAS=1``; elsewhere these tests skip.
"""
