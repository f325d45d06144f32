"""Tests of the Slack channel against a stand-in Slack Web API on loopback."""
