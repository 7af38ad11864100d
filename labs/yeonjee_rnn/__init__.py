"""Lab 12-1y, yeonjee RNN: lab 12-1's model learns "yeonje" -> "eonjee"."""
