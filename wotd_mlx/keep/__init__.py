"""Words people keep: review with FSRS, favourites and lists, Anki/CSV export and import, audio."""
