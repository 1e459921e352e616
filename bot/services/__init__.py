"""Domain rules. Services take a session and plain values; they never import Slack."""
