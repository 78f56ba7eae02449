"""`python -m benchmarks`: run every benchmark, print a table, write RESULTS.md."""

from benchmarks.run import main

main()
