from samverkan_cli.main import cli

cli()
