"""Property testing for negotiations: hypothesis strategies and a rule-based state machine.

Shipped inside the package, as `zarr.testing` is, so that users test their own rules and
scenarios with the generators the project's own tests use: `negotiation.testing.strategies`
and `negotiation.testing.stateful`. The package imports none of its modules.
"""
