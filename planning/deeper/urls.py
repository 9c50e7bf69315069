"""URL patterns of this stage, gathered by planning/urls.py."""

cohort_urls = []
community_urls = []
public_urls = []
