"""Data stage: MNIST, MD5-verified (``data/mnist.py``), and its figure."""
