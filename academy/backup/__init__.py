"""Backups of the database and the files folder: ``academy backup`` / ``academy restore``."""
