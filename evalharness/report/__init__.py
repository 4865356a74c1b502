"""Report writers: JSON (the contract), CSV, HTML, JUnit, Markdown, terminal text."""
