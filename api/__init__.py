"""The HTTP face of samverkan: the Litestar app, its JSON API and its web pages."""
