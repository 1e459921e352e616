"""The pair's rhythm: periods, working hours, and the pure planning of what is due."""
