"""`python -m goalsheet` works the same as `goalsheet`."""
from goalsheet.cli import main

if __name__ == "__main__":
    main()
