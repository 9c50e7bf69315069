"""The kinds of email the first stages send (surveys, plans, meetings), registered when the
app loads (copkit.kinds)."""
