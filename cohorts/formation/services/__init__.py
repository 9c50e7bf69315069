"""The writes of forming, one module per concern: setup (rounds, people, topics, criteria),
input (what participants say), problem (the engine's input), runs (the engine, in the request
or in Celery), proposals (groups and their edits), csv_upload, publishing and reminders.

Nothing is re-exported here: a caller imports the concern it needs
(`from cohorts.formation.services import runs`, then `runs.run_round(...)`), and a test
patches that module's own name (e.g. `runs.BACKGROUND_FROM`)."""
