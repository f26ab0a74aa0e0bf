"""Receipt data entry: the domain side (OCR, receipt workflow), free of HTTP and queue code."""
