"""Example agent API: health, notes stored in Postgres, a Celery task run on demand, and an answer streamed as
server-sent events, the way an agent streams its tokens."""

from __future__ import annotations

import asyncio
import os
import typing as t

import psycopg
from fastapi import APIRouter, FastAPI, HTTPException, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from worker import add

app = FastAPI(title="agent-app api")
# Served at / (dev, direct) and at /api (prd, where the load balancer routes /api/* here).
routes = APIRouter()


class Note(BaseModel):
    text: str


def connect() -> psycopg.Connection:
    return psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5)


@app.on_event("startup")
def create_table() -> None:
    with connect() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, text text NOT NULL)")


@routes.get("/health")
def health() -> dict:
    with connect() as conn:
        conn.execute("SELECT 1")
    return {"status": "ok", "env": os.environ.get("AGNO_ENV")}


@routes.post("/notes")
def write_note(note: Note) -> dict:
    with connect() as conn:
        row = conn.execute("INSERT INTO notes (text) VALUES (%s) RETURNING id", (note.text,)).fetchone()
    return {"id": row[0], "text": note.text}


@routes.get("/notes")
def read_notes() -> list:
    with connect() as conn:
        rows = conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall()
    return [{"id": row[0], "text": row[1]} for row in rows]


@routes.get("/tasks/add")
def run_add(x: int, y: int) -> dict:
    try:
        return {"result": add.delay(x, y).get(timeout=20)}
    except Exception as error:  # the worker may be down: say so instead of a 500 traceback
        raise HTTPException(status_code=503, detail="task failed: %s" % error) from error


async def events(seconds: int, every: float) -> t.AsyncIterator[str]:
    """One event every ``every`` seconds for ``seconds`` seconds, then a last one that says the answer is whole."""
    count = int(seconds / every)
    for number in range(1, count + 1):
        await asyncio.sleep(every)
        yield "id: %d\ndata: part %d of %d\n\n" % (number, number, count)
    yield "event: done\ndata: %d parts\n\n" % count


@routes.get("/stream")
def stream(seconds: int = Query(10, ge=1, le=3600), every: float = Query(1.0, gt=0, le=600)) -> StreamingResponse:
    # No buffering on the way: each part goes out as it is made.
    return StreamingResponse(events(seconds, every), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


app.include_router(routes)
app.include_router(routes, prefix="/api")
