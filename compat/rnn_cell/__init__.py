"""The TF1 RNN cells (``tf.nn.rnn_cell`` / ``tf.contrib.rnn``) on ``tf.compat.v1``.

Importing this package changes no global TensorFlow state. The cells need
graph mode: build inside ``with tf.Graph().as_default():``.
"""

from compat.rnn_cell.base import RNNCell
from compat.rnn_cell.basic_lstm_cell import BasicLSTMCell
from compat.rnn_cell.basic_rnn_cell import BasicRNNCell
from compat.rnn_cell.gru_cell import GRUCell
from compat.rnn_cell.layer_rnn_cell import LayerRNNCell
from compat.rnn_cell.lstm_cell import LSTMCell
from compat.rnn_cell.device_wrapper import DeviceWrapper
from compat.rnn_cell.dropout_wrapper import DropoutWrapper
from compat.rnn_cell.multi_rnn_cell import MultiRNNCell
from compat.rnn_cell.residual_wrapper import ResidualWrapper
from compat.rnn_cell.state import LSTMStateTuple

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerRNNCell",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
]
