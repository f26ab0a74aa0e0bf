"""Attacks kept in the suite (issue 11): tokens, inputs, authorization, fuzzing."""
