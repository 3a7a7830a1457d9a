"""results of the certification domain."""
