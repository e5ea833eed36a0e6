"""Operations: scheduling crawls on Scrapyd, the command line, and cluster mode (the top layer; nothing imports it)."""
