"""Developer tools: documents generated from a plan's text (PDF, DOCX, scans) for the tests
and the benchmarks."""
