"""The group-formation engine: plain Python, no Django (see engine.py and
docs/formation-format.md).

    from cohorts.formation import solve, FormationError
    solution = solve(problem_dict)
"""

from .engine import solve, solve_problem
from .problem import FormationError, parse

__all__ = ["FormationError", "parse", "solve", "solve_problem"]
