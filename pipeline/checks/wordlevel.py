"""Word-level accuracy (A6): polarity changes, antonyms and content words without a rendering,
found with bilingual dictionaries (FreeDict, Ding) and the English WordNet, read at run time."""
