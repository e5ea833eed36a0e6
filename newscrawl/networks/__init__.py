"""Network families: one declarative profile per CMS family, looked up by name."""

NETWORK_NAMES: tuple[str, ...] = ("prmn", "tribun", "suara", "detik", "kompas", "radar", "generic")
