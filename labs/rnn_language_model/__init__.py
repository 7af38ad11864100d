"""Lab 12-7, RNN language model: seed 002's three Korean sentences, written
again word by word from their first words."""
