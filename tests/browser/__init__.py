"""Browser tests: copkit's pages in headless Chromium, with axe-core checks."""
