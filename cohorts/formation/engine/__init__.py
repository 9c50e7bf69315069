"""The group-formation engine: plain Python, no Django, no app imports (an import-linter
contract holds it so). `solve(problem_dict) -> solution_dict`; both formats are described in
docs/formation-format.md.

- problem.py reads and checks the input (`parse`, `FormationError`), people.py each
  person's part of it;
- solver.py forms the groups (`solve`, `solve_problem`, `objective_for`);
- search.py, the annealing; matching.py, criteria.py, geo.py, topic.py, each method's
  objective and figures; evaluate.py scores any grouping the way the solver does.
"""

from .evaluate import evaluate
from .problem import FormationError, group_count, parse
from .solver import solve, solve_problem

__all__ = ["FormationError", "evaluate", "group_count", "parse", "solve", "solve_problem"]
