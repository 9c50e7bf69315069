"""The kinds of email this stage sends (copkit.kinds), registered when the app loads."""
