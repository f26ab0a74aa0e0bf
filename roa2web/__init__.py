"""ROA2WEB: the web side of the ROA ERP in one async process."""

__version__ = "0.1.0"
