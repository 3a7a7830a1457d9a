"""programmes of the certification domain."""
