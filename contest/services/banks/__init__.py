"""Question banks: importing files, browsing and editing questions, analysing how they performed."""
