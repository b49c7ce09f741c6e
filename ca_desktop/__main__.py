import sys

from ca_desktop.cli import main

sys.exit(main())
