"""Exchange rates: the National Bank of Romania's reference rates, read from its XML and kept in the app database."""
