"""Runs: the journal of every write job and the executor that drives them."""
