"""Neocognitron trained by backpropagation (lecture part 5): the S/C network (``network``), width
schedules, training and the δ diagnostic (``training``), figures."""
