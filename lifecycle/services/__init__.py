"""Services: load rows, ask the rules, store the result with its audit event, in one transaction."""
