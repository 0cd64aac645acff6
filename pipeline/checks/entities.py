"""Entity consistency (N2): each name, place or organisation of the source must be rendered in the
target (identical, transliterated, an exonym or a known variant)."""
