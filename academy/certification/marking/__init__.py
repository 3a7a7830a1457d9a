"""marking of the certification domain."""
