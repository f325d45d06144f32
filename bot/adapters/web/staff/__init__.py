"""The staff pages: sign-in, the ticket queue, one ticket and its actions, CSV export, the dashboard."""
