# Lab 12-0 rnn_basics, notebook style (later TF 1.x revision: Keras SimpleRNNCell,
# tf.nn.rnn_cell.LSTMCell). Only the two import lines differ from the original.
# Each section prints its arrays as the notebook did, plus one "SHAPE <section>
# <name> <shape>" line that the test reads.
import compat.tf1 as tf
from compat.tf1.contrib import rnn
import json
import numpy as np
import pprint
pp = pprint.PrettyPrinter(indent=4)
sess = tf.InteractiveSession()


def show(section, name, value):
    pp.pprint(value)
    print("SHAPE", section, name, tuple(np.shape(value)))


# One hot encoding for each char in 'hello'
h = [1, 0, 0, 0]
e = [0, 1, 0, 0]
l = [0, 0, 1, 0]
o = [0, 0, 0, 1]

with tf.variable_scope('one_cell') as scope:
    # One cell RNN input_dim (4) -> output_dim (2)
    hidden_size = 2
    cell = tf.keras.layers.SimpleRNNCell(units=hidden_size)
    print(cell.output_size, cell.state_size)

    x_data = np.array([[h]], dtype=np.float32)  # x_data = [[[1,0,0,0]]]
    pp.pprint(x_data)
    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)

    sess.run(tf.global_variables_initializer())
    show('one_cell', 'outputs', outputs.eval())
    print("NAMES", json.dumps([v.name for v in tf.global_variables() if v.name.startswith('one_cell/')]))

with tf.variable_scope('two_sequences') as scope:
    # One cell RNN input_dim (4) -> output_dim (2). sequence: 5
    hidden_size = 2
    cell = rnn.BasicRNNCell(num_units=hidden_size)
    x_data = np.array([[h, e, l, l, o]], dtype=np.float32)
    print(x_data.shape)
    pp.pprint(x_data)
    outputs, states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)
    sess.run(tf.global_variables_initializer())
    show('two_sequences', 'outputs', outputs.eval())

with tf.variable_scope('3_batches') as scope:
    # One cell RNN input_dim (4) -> output_dim (2). sequence: 5, batch 3
    # 3 batches 'hello', 'eolll', 'lleel'
    x_data = np.array([[h, e, l, l, o],
                       [e, o, l, l, l],
                       [l, l, e, e, l]], dtype=np.float32)
    pp.pprint(x_data)

    hidden_size = 2
    cell = tf.nn.rnn_cell.LSTMCell(num_units=hidden_size, state_is_tuple=True)
    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)
    sess.run(tf.global_variables_initializer())
    show('3_batches', 'outputs', outputs.eval())

with tf.variable_scope('3_batches_dynamic_length') as scope:
    x_data = np.array([[h, e, l, l, o],
                       [e, o, l, l, l],
                       [l, l, e, e, l]], dtype=np.float32)
    pp.pprint(x_data)

    hidden_size = 2
    cell = rnn.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)
    outputs, _states = tf.nn.dynamic_rnn(
        cell, x_data, sequence_length=[5, 3, 4], dtype=tf.float32)
    sess.run(tf.global_variables_initializer())
    show('3_batches_dynamic_length', 'outputs', outputs.eval())
    print("VALUES 3_batches_dynamic_length", json.dumps(outputs.eval().tolist()))

with tf.variable_scope('initial_state') as scope:
    batch_size = 3
    x_data = np.array([[h, e, l, l, o],
                       [e, o, l, l, l],
                       [l, l, e, e, l]], dtype=np.float32)
    pp.pprint(x_data)

    hidden_size = 2
    cell = rnn.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)
    initial_state = cell.zero_state(batch_size, tf.float32)
    outputs, _states = tf.nn.dynamic_rnn(cell, x_data,
                                         initial_state=initial_state, dtype=tf.float32)
    sess.run(tf.global_variables_initializer())
    show('initial_state', 'outputs', outputs.eval())

# Create input data
batch_size = 3
sequence_length = 5
input_dim = 3

x_data = np.arange(45, dtype=np.float32).reshape(batch_size, sequence_length, input_dim)
pp.pprint(x_data)  # batch, sequence_length, input_dim

with tf.variable_scope('generated_data') as scope:
    # One cell RNN input_dim (3) -> output_dim (5). sequence: 5, batch: 3
    cell = tf.nn.rnn_cell.LSTMCell(num_units=5, state_is_tuple=True)
    initial_state = cell.zero_state(batch_size, tf.float32)
    outputs, _states = tf.nn.dynamic_rnn(cell, x_data,
                                         initial_state=initial_state, dtype=tf.float32)
    sess.run(tf.global_variables_initializer())
    show('generated_data', 'outputs', outputs.eval())

with tf.variable_scope('MultiRNNCell') as scope:
    # Make rnn: one cell per layer (TF >= 1.1 refuses one object repeated)
    cells = [rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]
    cell = rnn.MultiRNNCell(cells, state_is_tuple=True)  # 3 layers

    # rnn in/out
    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)
    print("dynamic rnn: ", outputs)
    sess.run(tf.global_variables_initializer())
    show('MultiRNNCell', 'outputs', outputs.eval())  # batch size, unrolling (time), hidden_size

with tf.variable_scope('dynamic_rnn') as scope:
    cell = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)
    outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32,
                                         sequence_length=[1, 3, 2])
    # lentgh 1 for batch 1, lentgh 2 for batch 2

    print("dynamic rnn: ", outputs)
    sess.run(tf.global_variables_initializer())
    show('dynamic_rnn', 'outputs', outputs.eval())  # batch size, unrolling (time), hidden_size

with tf.variable_scope('keras_cells') as scope:
    # The Keras cells of the later revision, run by dynamic_rnn.
    lstm_outputs, lstm_states = tf.nn.dynamic_rnn(
        tf.keras.layers.LSTMCell(units=4), x_data, dtype=tf.float32, scope='lstm')
    gru_outputs, gru_states = tf.nn.dynamic_rnn(
        tf.keras.layers.GRUCell(units=3), x_data, dtype=tf.float32, scope='gru')
    sess.run(tf.global_variables_initializer())
    show('keras_cells', 'lstm_outputs', lstm_outputs.eval())
    show('keras_cells', 'lstm_states', sess.run(lstm_states))  # [h, c]
    show('keras_cells', 'gru_outputs', gru_outputs.eval())
    show('keras_cells', 'gru_states', gru_states.eval())

with tf.variable_scope('bi-directional') as scope:
    # bi-directional rnn
    cell_fw = tf.nn.rnn_cell.LSTMCell(num_units=5, state_is_tuple=True)
    cell_bw = tf.nn.rnn_cell.LSTMCell(num_units=5, state_is_tuple=True)

    outputs, states = tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, x_data,
                                                      sequence_length=[2, 3, 1],
                                                      dtype=tf.float32)

    sess.run(tf.global_variables_initializer())
    pp.pprint(sess.run(outputs))
    pp.pprint(sess.run(states))
    show('bi-directional', 'outputs', sess.run(outputs))
    show('bi-directional', 'states', sess.run(states))

# flattern based softmax
hidden_size = 3
sequence_length = 5
batch_size = 3
num_classes = 5

pp.pprint(x_data)  # hidden_size=3, sequence_length=4, batch_size=2
x_data = x_data.reshape(-1, hidden_size)
pp.pprint(x_data)

softmax_w = np.arange(15, dtype=np.float32).reshape(hidden_size, num_classes)
outputs = np.matmul(x_data, softmax_w)
outputs = outputs.reshape(-1, sequence_length, num_classes)  # batch, seq, class
show('softmax', 'outputs', outputs)

# [batch_size, sequence_length]
y_data = tf.constant([[1, 1, 1]])

# [batch_size, sequence_length, emb_dim ]
prediction = tf.constant([[[0.2, 0.7], [0.6, 0.2], [0.2, 0.9]]], dtype=tf.float32)

# [batch_size * sequence_length]
weights = tf.constant([[1, 1, 1]], dtype=tf.float32)

sequence_loss = tf.contrib.seq2seq.sequence_loss(logits=prediction, targets=y_data, weights=weights)
sess.run(tf.global_variables_initializer())
print("Loss: ", sequence_loss.eval())
show('sequence_loss', 'loss', sequence_loss.eval())
