"""The course's Lab 12 RNN labs, each as a TF1 graph (v1) and in Keras 3 (v2)."""
