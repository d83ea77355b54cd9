"""Rankings: the published rules, live boards, tables, whole-contest and unit rankings, prizes, the results workbook."""
