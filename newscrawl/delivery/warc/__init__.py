"""The WARC archive: every response of a crawl kept as fetched, and read back.

records.py builds a fetch's WARC records (warcio); archive.py is the extension that writes them as
responses arrive, to a directory or through a spool to S3; reader.py reads the records back (for
``newscrawl extract``) and cuts what a killed crawl left to its whole records.

This package must never decide what a crawl fetches nor change a response or an item.
"""
