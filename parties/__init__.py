"""Collaboration structures, their parties (kommuner and regions) and contacts."""
