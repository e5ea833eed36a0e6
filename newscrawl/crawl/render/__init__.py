"""JavaScript rendering through scrapy-playwright.

`policy` decides which pages go through the browser (installed only when needed), `page` is what
runs in the browser, `handler` the download handler (imported only through DOWNLOAD_HANDLERS).
"""
