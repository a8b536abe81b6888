"""Pure rules of samverkansbrister and disputes: no framework, database, broker or clock."""
