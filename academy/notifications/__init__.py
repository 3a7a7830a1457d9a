"""Notifications: the bell in the header, the list page, and e-mail (immediate or digest).

Other domains call ``notify(user, kind, url=..., **params)`` from their operations; the
message is worded (and translated) when it is shown, from the kind and its parameters.
"""
