"""Leader check-ins: the cadence, the prompts, the answers, overdue escalation, follow-ups."""
