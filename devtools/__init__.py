"""Development-only code: the benchmark, the load test and the demo builders.

Nothing in the application packages (`copkit`, `cohorts`, `planning`) imports from here; this
package may import what only the `dev` extra installs (numpy, highspy), but only inside the
functions that need it, so `seed_demo` works on a production install.
"""
