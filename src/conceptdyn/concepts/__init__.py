"""Concept formation (lecture part 3): hierarchically correlated patterns, mixed states and the exact
few-pattern map (``patterns``), the stage's tables (``analysis``), figures."""
