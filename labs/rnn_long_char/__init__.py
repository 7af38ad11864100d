"""Lab 12-4, RNN with a long sentence: two stacked LSTMs, 170 sliding windows."""
