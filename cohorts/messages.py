"""The kinds of email the cohorts app sends (invitations, formation), registered when the app
loads (copkit.kinds)."""
