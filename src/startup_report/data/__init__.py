"""The data-prep stage's domain: reading, checking and splitting an intent dataset."""
