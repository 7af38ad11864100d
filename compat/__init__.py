"""The removed ``tf.contrib`` RNN API, rebuilt on ``tf.compat.v1``.

Importing this package (or any module below it other than ``compat.tf1``)
leaves global TensorFlow state alone: build graphs inside
``tf.Graph().as_default()`` and Keras code keeps running eagerly beside them.
``import compat.tf1 as tf`` is the drop-in for old scripts and does switch
TensorFlow into TF1 graph behaviour.
"""
