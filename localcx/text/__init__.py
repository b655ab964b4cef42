"""Text analysis that runs offline: language, translation split, sentiment (EN, JA), aspects, reply lint."""
