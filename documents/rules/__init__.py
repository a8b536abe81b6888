"""Pure rules of documents: type by content, law references in text, the revision diff."""
