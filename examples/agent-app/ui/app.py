"""Example agent UI: writes and lists notes through the API, and runs a task."""

from __future__ import annotations

import os

import requests
import streamlit as st

API = os.environ.get("API_URL", "http://api:8000")

st.title("agent-app")
st.caption("API at %s" % API)

text = st.text_input("New note")
if st.button("Save") and text:
    st.write(requests.post(API + "/notes", json={"text": text}, timeout=10).json())

st.subheader("Notes")
st.table(requests.get(API + "/notes", timeout=10).json())

x = st.number_input("x", value=2)
y = st.number_input("y", value=3)
if st.button("Add with Celery"):
    st.write(requests.get(API + "/tasks/add", params={"x": int(x), "y": int(y)}, timeout=30).json())
