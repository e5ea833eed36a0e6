"""newscrawl: Scrapy project that turns Indonesia's regional news portals into JSONL article feeds."""
