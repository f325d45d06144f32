"""Tests of the web app: the ask page and API, the staff pages, their security, and the real browser."""
