"""Project commands: replace Scrapy's `crawl` with one that validates kabar's arguments first."""
