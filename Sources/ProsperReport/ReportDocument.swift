// The report document and formatters.
