import sys

from search_service.cli import main

sys.exit(main())
