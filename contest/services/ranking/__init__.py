"""Rankings: the published rules, live boards, whole-contest and unit rankings, prizes, closing, results."""
