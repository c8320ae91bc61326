"""Celery tasks of the example app; broker and result backend come from the environment."""

from __future__ import annotations

import os

from celery import Celery

celery = Celery("worker", broker=os.environ.get("CELERY_BROKER_URL"), backend=os.environ.get("CELERY_RESULT_BACKEND"))
celery.conf.broker_connection_retry_on_startup = True


@celery.task
def add(x: int, y: int) -> int:
    return x + y
