"""What organizers set up and watch: contests, rounds, monitoring, the morning view."""
