"""Insight 研判: category and handler suggestion, similar demands, hot issues, reply quality — offline and measured."""
