"""Services of samverkansbrister: load → rule → save, each change with its audit event."""
