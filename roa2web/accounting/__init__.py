"""Romanian accounting rules shared by every module: CIF checksum, VAT rates, money."""
