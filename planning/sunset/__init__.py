"""Outliving the program: the phases that follow a COP's state, the cohort's transition
timeline and its nudges, the sunset plan and what a COP keeps once it continues on its own."""
