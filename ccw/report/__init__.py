"""The manager's weekly report: the scorecard, the targets missed, the worst intervals,
bad trades and attrition of one ISO week, as an HTML file beside the warehouse and,
when the settings name an SMTP server and recipients, as an e-mail."""
