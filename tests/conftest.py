"""Make the collection importable as ansible_collections.agno.infra for every test."""

import pathlib
import sys

COLLECTIONS = pathlib.Path(__file__).resolve().parents[1] / ".build" / "collections"
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
