"""The services of evaluations, goals and structure decisions."""
