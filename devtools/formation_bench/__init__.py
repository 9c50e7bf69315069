"""The formation benchmark (`manage.py formbench`): the engine of `cohorts.formation` against
exact optima (HiGHS, numpy) and baselines on seeded instances. Development only."""
