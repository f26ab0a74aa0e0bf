"""The receipt workflow.

The service doors call, its rules and validation, the accounting entries a receipt produces,
supplier matching, the ledger's nomenclature, and the receipt's files.
"""
