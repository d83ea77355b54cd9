"""Domain operations: they take explicit arguments and never read the request.

The packages stand in layers, the lowest first; a package imports only the packages below it (and the models,
`question_bank` and the app's plumbing), and from those only public names (none starting with `_`).
`tests/test_service_layers.py` reads every import and fails on one that goes the other way.

- `shared`: what every package may need: the audit log, errors, file problems, paging, the caches, health.
- `bodies`: organizing bodies, their members, and the table of what each role may do (`bodies.access`).
- `banks`: question banks, their import, pictures, questions and their analysis.
- `people`: accounts, registration, units, eligibility, profiles. They never call the ranking: a rename is
  announced (`people.events`) and the ranking listens.
- `ranking`: live boards, leaderboards, tables, tie-break rules, prizes, the results workbook.
- `quiz`: attempts, draws and pools, receipts, integrity flags, practice; a submission feeds the ranking's board.
- `results`: what a round's end produces: closing, disqualification, publishing, documents, certificates,
  sharing.
- `console`: the organizer's contests, rounds, monitoring and morning view, on top of all the others.

The demo (`contest/demo.py`) stands apart: it loads its data through the services, like the command line.
"""

LAYERS = ("shared", "bodies", "banks", "people", "ranking", "quiz", "results", "console")
