"""Spiders of the newscrawl project (only `kabar`)."""
