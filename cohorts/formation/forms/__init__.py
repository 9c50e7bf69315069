"""The formation forms: rounds (set-up) and input (what participants say)."""
