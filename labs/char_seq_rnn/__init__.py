"""Lab 12-2, character sequence RNN: an LSTM learns " if you want you"."""
