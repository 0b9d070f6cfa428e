"""gunicorn settings for the web app (`gunicorn --config deploy/gunicorn.conf.py 'governance:create_app()'`).

Every setting can be overridden from the environment below; see docs/deployment.md.
Never start the scheduler here: it is its own process (`flask --app governance jobs run`).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is CPU work plus a few short queries. 2 x CPUs + 1 is the
# usual start; measure (python -m bench) before changing.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # the PDF export is the slowest page
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Behind a reverse proxy on the same host that sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app logs one line per request itself, with its request id (governance/logs.py)
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
