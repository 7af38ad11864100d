"""Lab 12-6 `keras_rnn_basics`: seed 002's Keras shape tour, section by section.

`data` holds the seed's inputs and sizes, `v1` the TF1 form (contrib cells +
`dynamic_rnn` in a graph), `v2` the Keras 3 form, `numpy_rnn` the seed's
numpy forward pass (section 9). `v1` and `v2` expose `run_sections(dtype)`;
`python -m labs.keras_rnn_basics.v1` (or `.v2`) prints every section's arrays.
"""
