"""HTTP doors: one blueprint per module; thin (parse, authorize, call the domain, reply)."""
