"""The laptop's encrypted local case store (SQLCipher) and its key handling."""
