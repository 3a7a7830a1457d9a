"""standards of the certification domain."""
