"""Tests of running it for real: reminders, retention, per-person export/erase, doctor, end to end."""
