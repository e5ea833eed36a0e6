"""Pure extraction: HTML in, fields out. Nothing here may import Scrapy's engine or make a request."""
