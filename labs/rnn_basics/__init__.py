"""Lab 12-0 `rnn_basics`: the course's RNN notebook, section by section.

`data` holds the notebook's inputs, `v1` the TF1 form (contrib cells +
`dynamic_rnn` in a graph), `v2` the Keras 3 form. Both expose
`run_sections(dtype)`; `python -m labs.rnn_basics.v1` (or `.v2`) prints every
section the way the notebook did.
"""

import pprint


def print_sections(results):
    """Pretty-prints `{section: {name: array}}` under one header per section."""
    printer = pprint.PrettyPrinter(indent=4)
    for section, arrays in results.items():
        print(f"\n=== {section} ===")
        for name, value in arrays.items():
            print(f"{name} {value.shape}:")
            printer.pprint(value)
