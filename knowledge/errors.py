"""Domain errors of the knowledge layer.

KnowledgeError
 ├── BadDocument      a file cannot be ingested (empty, binary, undecodable, too large)
 ├── BadQuery         a search request is malformed (empty, too long, bad k)
 └── IndexUnavailable the index on disk cannot be opened or built
"""


class KnowledgeError(Exception):
    """Base class of knowledge-layer errors; the message is safe to show a user."""


class BadDocument(KnowledgeError):
    """A file cannot be ingested."""


class BadQuery(KnowledgeError):
    """A search request is malformed."""


class IndexUnavailable(KnowledgeError):
    """The index on disk cannot be opened or built."""
