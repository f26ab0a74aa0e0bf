"""HTTP plumbing shared by every blueprint: request ids, client IPs, guards, headers."""
