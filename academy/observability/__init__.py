"""Observability: structured logs with a request id, Prometheus metrics, health."""
