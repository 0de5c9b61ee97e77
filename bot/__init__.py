"""PolicyBot: answers about Chinese local metaverse industry policies, with citations."""

__version__ = "0.1.0"
