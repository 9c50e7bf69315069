"""Evaluations, goals and their progress, and the decisions a COP takes after an evaluation."""
