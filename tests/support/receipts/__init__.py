"""A wider receipt generator: several fonts, 58/80 mm layouts, label variants, harsh photos, a seed split.

The older generator (tests/support/receipt_images.py) stays as it is for the existing tests; this one feeds the
honest benchmark (scripts/bench/ocr_bench.py --varied) and its own tests (tests/support_tests/).
"""
