"""Scheduled jobs (run by a dedicated scheduler process, never inside web workers).

Each job is a thin adapter: it opens an app context, calls a service that sweeps what is
due and marks it done, and commits.  See issue "Reminders" for the scheduler itself.
"""
