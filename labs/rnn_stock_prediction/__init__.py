"""Lab 12-5, stock price prediction: an LSTM reads 7 days and predicts the next close."""
