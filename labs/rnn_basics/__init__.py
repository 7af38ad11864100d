"""Lab 12-0 `rnn_basics`: the course's RNN notebook, section by section.

`data` holds the notebook's inputs, `v1` the TF1 form (contrib cells +
`dynamic_rnn` in a graph), `v2` the Keras 3 form. Both expose
`run_sections(dtype)`; `python -m labs.rnn_basics.v1` (or `.v2`) prints every
section's arrays.
"""
