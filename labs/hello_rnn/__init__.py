"""Lab 12-1, hello RNN: one LSTM learns to read "hihell" as "ihello"."""
