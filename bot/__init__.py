"""mentorbot: keeps existing mentoring pairs meeting."""
