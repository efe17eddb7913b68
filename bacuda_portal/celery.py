"""The project's Celery app: queues ``default``, ``reports`` and ``models``; settings under ``CELERY_``.

Each worker writes a heartbeat row every few seconds (``WorkerHeartbeatStep``), so the staff health page can
tell which workers are alive on any broker, the filesystem transport included.
"""

import os
from pathlib import Path

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacuda_portal.settings.base")

app = Celery("bacuda_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport expects its folders to exist; called when Django starts."""
    if not str(app.conf.broker_url).startswith("filesystem://"):
        return
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


class WorkerHeartbeatStep(bootsteps.StartStopStep):
    """Records this worker (hostname, queues, pid) in the database and refreshes it on a timer."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from django.conf import settings

        from bacuda_portal.core import services

        queues = sorted(queue.name for queue in worker.app.amqp.queues.consume_from.values())

        def beat():
            services.worker_heartbeat(hostname=worker.hostname, queues=queues, pid=os.getpid())

        beat()
        self.tref = worker.timer.call_repeatedly(settings.BACUDA_WORKER_HEARTBEAT_SECONDS, beat)

    def stop(self, worker):
        from bacuda_portal.core import services

        if self.tref is not None:
            self.tref.cancel()
        services.worker_stopped(hostname=worker.hostname)


app.steps["worker"].add(WorkerHeartbeatStep)
