"""Pure rules of the warehouse: standard library only, no Qt, no sessions, no I/O."""
