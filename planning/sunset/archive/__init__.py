"""Taking everything along: a community's or a cohort's archive as one ZIP, built in the
background, kept for a limited time and downloaded through a signed, expiring link."""
