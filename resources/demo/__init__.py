"""Demo data: a catalogue derived from real retail data, and pools of names and addresses."""
