"""A task for the worker test: records which process ran it (importable by a worker)."""

import os
import time

from django.tasks import task


@task
def note_the_worker(number: int) -> dict:
    time.sleep(0.2)
    return {"number": number, "pid": os.getpid()}
