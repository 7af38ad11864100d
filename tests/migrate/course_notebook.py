"""The course's rnn_basics notebook (lab 12-0), as TF 1.x users wrote it, built with nbformat.

Every section runs in its own variable scope on one InteractiveSession and
prints with ``pp.pprint(outputs.eval())``; the MultiRNNCell section repeats
one cell object, ``MultiRNNCell([cell] * 3)``, as the TF 1.0 notebook did.
The old outputs are kept, as in the course's file, so the migration must
clear them.
"""

import nbformat

CELLS = [
    ("markdown", "# RNN basics\nTensorFlow 1.x RNN cells, one section per cell."),
    (
        "code",
        "# https://github.com/hunkim/DeepLearningZeroToAll\n"
        "import tensorflow as tf\n"
        "import numpy as np\n"
        "from tensorflow.contrib import rnn\n"
        "import pprint\n"
        "pp = pprint.PrettyPrinter(indent=4)\n"
        "sess = tf.InteractiveSession()\n"
        "%precision 4",
    ),
    (
        "code",
        "# One hot encoding for each char in 'hello'\n"
        "h = [1, 0, 0, 0]\n"
        "e = [0, 1, 0, 0]\n"
        "l = [0, 0, 1, 0]\n"
        "o = [0, 0, 0, 1]",
    ),
    (
        "code",
        "with tf.variable_scope('one_cell') as scope:\n"
        "    # One cell RNN input_dim (4) -> output_dim (2)\n"
        "    hidden_size = 2\n"
        "    cell = tf.keras.layers.SimpleRNNCell(units=hidden_size)\n"
        "    print(cell.output_size, cell.state_size)\n"
        "\n"
        "    x_data = np.array([[h]], dtype=np.float32) # x_data = [[[1,0,0,0]]]\n"
        "    pp.pprint(x_data)\n"
        "    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)\n"
        "\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())",
    ),
    (
        "code",
        "with tf.variable_scope('two_sequances') as scope:\n"
        "    # One cell RNN input_dim (4) -> output_dim (2). sequence: 5\n"
        "    hidden_size = 2\n"
        "    cell = rnn.BasicRNNCell(num_units=hidden_size)\n"
        "    x_data = np.array([[h, e, l, l, o]], dtype=np.float32)\n"
        "    print(x_data.shape)\n"
        "    pp.pprint(x_data)\n"
        "    outputs, states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())",
    ),
    (
        "code",
        "with tf.variable_scope('3_batches') as scope:\n"
        "    # One cell RNN input_dim (4) -> output_dim (2). sequence: 5, batch 3\n"
        "    # 3 batches 'hello', 'eolll', 'lleel'\n"
        "    x_data = np.array([[h, e, l, l, o],\n"
        "                       [e, o, l, l, l],\n"
        "                       [l, l, e, e, l]], dtype=np.float32)\n"
        "    pp.pprint(x_data)\n"
        "\n"
        "    hidden_size = 2\n"
        "    cell = rnn.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)\n"
        "    outputs, _states = tf.nn.dynamic_rnn(\n"
        "        cell, x_data, dtype=tf.float32)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())",
    ),
    (
        "code",
        "with tf.variable_scope('3_batches_dynamic_length') as scope:\n"
        "    x_data = np.array([[h, e, l, l, o],\n"
        "                       [e, o, l, l, l],\n"
        "                       [l, l, e, e, l]], dtype=np.float32)\n"
        "    pp.pprint(x_data)\n"
        "\n"
        "    hidden_size = 2\n"
        "    cell = rnn.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)\n"
        "    outputs, _states = tf.nn.dynamic_rnn(\n"
        "        cell, x_data, sequence_length=[5,3,4], dtype=tf.float32)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())",
    ),
    (
        "code",
        "with tf.variable_scope('initial_state') as scope:\n"
        "    batch_size = 3\n"
        "    x_data = np.array([[h, e, l, l, o],\n"
        "                      [e, o, l, l, l],\n"
        "                      [l, l, e, e, l]], dtype=np.float32)\n"
        "    pp.pprint(x_data)\n"
        "\n"
        "    hidden_size = 2\n"
        "    cell = rnn.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)\n"
        "    initial_state = cell.zero_state(batch_size, tf.float32)\n"
        "    outputs, _states = tf.nn.dynamic_rnn(cell, x_data,\n"
        "                                         initial_state=initial_state, dtype=tf.float32)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())",
    ),
    (
        "code",
        "# Create input data\n"
        "batch_size=3\n"
        "sequence_length=5\n"
        "input_dim=3\n"
        "\n"
        "x_data = np.arange(45, dtype=np.float32).reshape(batch_size, sequence_length, input_dim)\n"
        "pp.pprint(x_data)  # batch, sequence_length, input_dim",
    ),
    (
        "code",
        "with tf.variable_scope('generated_data') as scope:\n"
        "    # One cell RNN input_dim (3) -> output_dim (5). sequence: 5, batch: 3\n"
        "    cell = tf.nn.rnn_cell.LSTMCell(num_units=5, state_is_tuple=True)\n"
        "    initial_state = cell.zero_state(batch_size, tf.float32)\n"
        "    outputs, _states = tf.nn.dynamic_rnn(cell, x_data,\n"
        "                                         initial_state=initial_state, dtype=tf.float32)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())",
    ),
    (
        "code",
        "with tf.variable_scope('MultiRNNCell') as scope:\n"
        "    # Make rnn\n"
        "    cell = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)\n"
        "    cell = rnn.MultiRNNCell([cell] * 3, state_is_tuple=True) # 3 layers\n"
        "\n"
        "    # rnn in/out\n"
        "    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)\n"
        "    print(\"dynamic rnn: \", outputs)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())  # batch size, unrolling (time), hidden_size",
    ),
    (
        "code",
        "with tf.variable_scope('dynamic_rnn') as scope:\n"
        "    cell = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)\n"
        "    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32,\n"
        "                                         sequence_length=[1, 3, 2])\n"
        "    # lentgh 1 for batch 1, lentgh 2 for batch 2\n"
        "\n"
        "    print(\"dynamic rnn: \", outputs)\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(outputs.eval())  # batch size, unrolling (time), hidden_size",
    ),
    (
        "code",
        "with tf.variable_scope('bi-directional') as scope:\n"
        "    # bi-directional rnn\n"
        "    cell_fw = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)\n"
        "    cell_bw = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)\n"
        "\n"
        "    outputs, states = tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, x_data,\n"
        "                                                      sequence_length=[2, 3, 1],\n"
        "                                                      dtype=tf.float32)\n"
        "\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    pp.pprint(sess.run(outputs))\n"
        "    pp.pprint(sess.run(states))",
    ),
    (
        "code",
        "# flattern based softmax\n"
        "hidden_size=3\n"
        "sequence_length=5\n"
        "batch_size=3\n"
        "num_classes=5\n"
        "\n"
        "pp.pprint(x_data) # hidden_size=3, sequence_length=4, batch_size=2\n"
        "x_data = x_data.reshape(-1, hidden_size)\n"
        "pp.pprint(x_data)\n"
        "\n"
        "softmax_w = np.arange(15, dtype=np.float32).reshape(hidden_size, num_classes)\n"
        "outputs = np.matmul(x_data, softmax_w)\n"
        "outputs = outputs.reshape(-1, sequence_length, num_classes) # batch, seq, class\n"
        "pp.pprint(outputs)",
    ),
    (
        "code",
        "# [batch_size, sequence_length]\n"
        "y_data = tf.constant([[1, 1, 1]])\n"
        "\n"
        "# [batch_size, sequence_length, emb_dim ]\n"
        "prediction = tf.constant([[[0.2, 0.7], [0.6, 0.2], [0.2, 0.9]]], dtype=tf.float32)\n"
        "\n"
        "# [batch_size * sequence_length]\n"
        "weights = tf.constant([[1, 1, 1]], dtype=tf.float32)\n"
        "\n"
        "sequence_loss = tf.contrib.seq2seq.sequence_loss(logits=prediction, targets=y_data, weights=weights)\n"
        "sess.run(tf.global_variables_initializer())\n"
        "print(\"Loss: \", sequence_loss.eval())",
    ),
    (
        "code",
        "# [batch_size, sequence_length]\n"
        "y_data = tf.constant([[1, 1, 1]])\n"
        "\n"
        "# [batch_size, sequence_length, emb_dim ]\n"
        "prediction1 = tf.constant([[[0.3, 0.7], [0.3, 0.7], [0.3, 0.7]]], dtype=tf.float32)\n"
        "prediction2 = tf.constant([[[0.1, 0.9], [0.1, 0.9], [0.1, 0.9]]], dtype=tf.float32)\n"
        "\n"
        "prediction3 = tf.constant([[[1, 0], [1, 0], [1, 0]]], dtype=tf.float32)\n"
        "prediction4 = tf.constant([[[0, 1], [1, 0], [0, 1]]], dtype=tf.float32)\n"
        "\n"
        "# [batch_size * sequence_length]\n"
        "weights = tf.constant([[1, 1, 1]], dtype=tf.float32)\n"
        "\n"
        "sequence_loss1 = tf.contrib.seq2seq.sequence_loss(prediction1, y_data, weights)\n"
        "sequence_loss2 = tf.contrib.seq2seq.sequence_loss(prediction2, y_data, weights)\n"
        "sequence_loss3 = tf.contrib.seq2seq.sequence_loss(prediction3, y_data, weights)\n"
        "sequence_loss4 = tf.contrib.seq2seq.sequence_loss(prediction4, y_data, weights)\n"
        "\n"
        "sess.run(tf.global_variables_initializer())\n"
        "print(\"Loss1: \", sequence_loss1.eval(),\n"
        "      \"Loss2: \", sequence_loss2.eval(),\n"
        "      \"Loss3: \", sequence_loss3.eval(),\n"
        "      \"Loss4: \", sequence_loss4.eval())",
    ),
]

# What TF 1.0 printed for the one_cell section: a stale output to be cleared.
STALE_OUTPUT = nbformat.v4.new_output(
    "stream", name="stdout", text="2 2\narray([[[ 1.,  0.,  0.,  0.]]], dtype=float32)\n"
)


def build():
    """The notebook, with the stale TF 1.0 output on the one_cell section."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python2",
        "display_name": "Python 2",
        "language": "python",
    }
    for kind, text in CELLS:
        if kind == "markdown":
            notebook.cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            notebook.cells.append(nbformat.v4.new_code_cell(text))
    one_cell = notebook.cells[3]
    one_cell.outputs = [STALE_OUTPUT]
    one_cell.execution_count = 3
    return notebook


def section(notebook, scope_name):
    """The code cell whose ``variable_scope`` is ``scope_name``, and its 1-based number."""
    for number, cell in enumerate(notebook.cells, 1):
        if f"tf.variable_scope('{scope_name}')" in cell.source:
            return number, cell
    raise KeyError(scope_name)
