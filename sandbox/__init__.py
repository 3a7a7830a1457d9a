"""Silk Road Academy sandbox trading exchange: a deterministic, event-sourced engine.

Pure Python with no web, ORM or Flask imports. Start with
:func:`sandbox.scenario.load_scenario` and :class:`sandbox.engine.market.Market`;
see ``sandbox/README.md`` for the model, scenario format and event catalogue.
"""
