"""VAE on MNIST (lecture part 4): the model class (``model``), training (``training``), repeated
inference and its tables (``inference``), figures."""
