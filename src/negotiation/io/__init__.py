"""Files in and out: the scenario value, its TOML readers and writer, policy files, folders, checks.

The package imports none of its modules, so that code building scenarios in memory (the
hypothesis strategies) takes the value from `io.scenario` without loading the readers. The
public names are re-exported by `negotiation` itself.
"""
