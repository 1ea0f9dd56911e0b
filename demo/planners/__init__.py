"""Planners: each draws one kind of demo object for a region from its own seeded random
generator, the same draws on every run, without touching the database."""
