"""Lab 12-3, character sequence with a softmax layer only: no RNN, no context."""
