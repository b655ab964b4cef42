"""Insights: Google's daily performance metrics and monthly search keywords, kept locally."""
