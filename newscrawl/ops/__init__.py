"""Operations, the top layer: scheduling crawls on Scrapyd nodes, the command line, cluster mode, re-extraction.

What it is for
    Running crawls: deciding when and where the `kabar` spider runs, and letting several processes
    share one crawl; reading a crawl's WARC archive again with today's extraction (reextract.py).
    Modules here may import every other layer (delivery, crawl, spiders, extract).

What it must never do
    Be imported by a lower layer, or decide what a crawl fetches or how a page is read.
"""
