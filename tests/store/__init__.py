"""Tests of the ticket store, filing, the outbox sender and their CLI commands."""
