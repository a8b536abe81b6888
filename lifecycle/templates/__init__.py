"""Process templates as data: one TOML file per samverkansstruktur (see `lifecycle.rules.process`).

"A process is data (a template per structure and kind), not code: structures differ and will
change." (DOMAIN.md). The file name is the structure's slug; `process.load_templates` reads and
checks every file here.
"""
