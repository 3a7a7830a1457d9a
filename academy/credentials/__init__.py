"""Certificates, signed Open Badges 3.0 credentials, public verification, the talent pool."""
