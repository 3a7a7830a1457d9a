"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py``.

Set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder (emptied at every start) in the
environment of gunicorn and of the queue worker, so ``/metrics`` adds up all processes.
"""

import multiprocessing
import os

bind = os.environ.get("ACADEMY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ACADEMY_WEB_WORKERS", multiprocessing.cpu_count() * 2))
wsgi_app = "academy:create_app()"
preload_app = True  # build the app once, then fork: quicker starts, less memory
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"


def child_exit(server, worker):
    """Forget a dead worker's live gauges (prometheus_client multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
