"""Exports that take a while: built on the task queue, downloaded from a link when ready.

A page with a small table streams its CSV at once. A large one (more rows than
``EXPORT_INLINE_ROWS``) asks :func:`academy.exports.operations.request_export` instead:
an ``ExportFile`` row is written, the job ``exports.build`` builds the CSV on a worker
(inline when no broker is configured, as with ``make run``), and the owner gets a
notification with the link. Only the owner may download it; files are kept for
``EXPORT_KEEP_DAYS`` days.

A domain offers an export by registering a builder for its kind
(:func:`academy.exports.operations.register_export`) in its ``tasks.py``.
"""
