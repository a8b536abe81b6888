"""Users, their roles and API tokens: who may sign in, and what each person may change.

Passwords are argon2 hashes; API tokens are stored as SHA-256 hashes and shown once. Every change
(a user created, a role granted or revoked, a token created or revoked) and every sign-in attempt
is written to the audit trail in the same transaction. What a role allows is decided in
`api.access`; this package only stores who holds which role where.
"""
