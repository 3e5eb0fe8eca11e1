"""A task that does nothing: the task queue's own cost, the baseline of bench/dispatcher.py.

Imported by its module path (`bench.noop_tasks.noop`) in `manage.py db_worker`, which runs from
the checkout, where `bench` is a namespace package.
"""

from django.tasks import task


@task()
def noop() -> None:
    """Nothing at all."""
