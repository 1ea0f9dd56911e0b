"""Settings for the test suite: the production settings, with background tasks run at once.

The database queue (django-tasks-db) needs a worker process; in tests a task runs inside the
request or command that enqueues it, so its effect can be asserted right after.
"""

from config.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# The production queue, under its own name, for the tests that run real workers against it
# (tests/test_background_worker.py): `task.using(backend="database").enqueue(...)`.
TASKS["database"] = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
