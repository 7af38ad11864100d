"""Lab 12-8, seq2seq: an LSTM encoder reads 7 digits, an LSTM decoder writes 7 letters."""
