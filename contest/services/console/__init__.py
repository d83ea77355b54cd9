"""What organizers set up and watch: contests, rounds, monitoring, the audit log."""
