"""sittings of the certification domain."""
