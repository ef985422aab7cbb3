"""Rendering for people and tools: text, JSON, terminal tables, graphs and the HTML report.

Everything here reads the core and the scenario files' values and returns strings, documents
or graphs; nothing below this layer imports it. The package imports none of its modules, so
each command loads only what it draws with (rich for terminals, the report's assets).
"""
