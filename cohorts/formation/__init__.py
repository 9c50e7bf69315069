"""Forming a cohort's communities: the whole of it lives in this package.

- engine/: the pure engine (`solve`, `FormationError`; no Django), see docs/formation-format.md;
- models.py, the rounds, entries, locks and proposals (re-exported by `cohorts.models`);
- methods/: one module per method (what it asks people, its engine input, its figures);
- services/: the writes, by concern; views/, forms/, urls.py and board.py: the pages.

    from cohorts.formation.engine import solve, FormationError
    solution = solve(problem_dict)
"""
