"""Station <-> central store: change numbers, pull, push of the outbox, order claims.

docs/sync.md explains the design and why it cannot skip a row.
"""
