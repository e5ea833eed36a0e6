"""Crawling: how pages are fetched — scope and hostile-input middlewares, and JS rendering.

Nothing here decides what to fetch (the spider does) or reads a page's content (extract does).
"""
