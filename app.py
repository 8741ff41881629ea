"""The sib dashboard, as ``make run`` serves it from a checkout; an installed sib serves the
same with ``sib dashboard``. The dashboard itself is ``sib/dashboard/app.py``."""

from sib.dashboard.app import main

main()
